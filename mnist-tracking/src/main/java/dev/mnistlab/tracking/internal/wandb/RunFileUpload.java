package dev.mnistlab.tracking.internal.wandb;

import java.util.List;

/**
 * Where one run file goes: its signed upload URL and the {@code "Name: value"} headers
 * {@code CreateRunFiles} said every upload must carry.
 */
public record RunFileUpload(String name, String uploadUrl, List<String> headers) {}
