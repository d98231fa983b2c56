/**
 * The Weights &amp; Biases sink: API-key resolution, the OkHttp client for {@code UpsertBucket} and
 * {@code file_stream}, the official client's retry policy, and the per-run uploader that streams a
 * run from the local store and records what W&amp;B acknowledged.
 */
package dev.mnistlab.tracking.internal.wandb;
