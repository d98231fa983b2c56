package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.trial.TrackingSettings;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.TrackingException;
import dev.mnistlab.tracking.WandbMode;
import dev.mnistlab.tracking.WandbSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Builds the {@link Tracker} a trial's or sweep's tracking settings ask for. */
public final class Trackers {
  private Trackers() {}

  /**
   * Opens the local store (creating its folder) and a tracker on it: W&amp;B is added when the
   * settings say {@code online}, or {@code auto} and an API key is present; {@code offline}
   * records locally for a later {@code mnistlab sync}; {@code disabled} records locally only (sync
   * leaves such runs alone unless they are named).
   *
   * @param settings the sweep's tracking settings
   * @param env the environment ({@code WANDB_*} variables)
   * @throws TrackingException when W&amp;B is required ({@code online}) but no key is found, or the
   *     store cannot be opened
   */
  public static Tracker open(TrackingSettings settings, Map<String, String> env) throws IOException {
    return open(settings, env, true);
  }

  /**
   * Like {@link #open(TrackingSettings, Map)}; {@code shutdownHook} false leaves out the tracker's
   * own JVM shutdown hook (which ends open runs as interrupted at once), for callers that stop
   * their runs cleanly on Ctrl-C themselves and close the tracker afterwards.
   *
   * @param settings the sweep's tracking settings
   * @param env the environment ({@code WANDB_*} variables)
   * @param shutdownHook whether the tracker ends open runs when the JVM exits
   * @throws IOException when the store's folder cannot be created
   */
  public static Tracker open(TrackingSettings settings, Map<String, String> env,
      boolean shutdownHook) throws IOException {
    String location = settings.store();
    if (!location.startsWith("jdbc:")) {
      Path parent = Path.of(location).toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    }
    // the tracker opens (and owns) the store; provenance is captured once per sweep by the runner
    Tracker.Builder builder = Tracker.builder().storeLocation(location).environment(env)
        .captureProvenance(false).shutdownHook(shutdownHook);
    WandbSettings.Builder wandb = WandbSettings.builder().environment(env);
    settings.entity().ifPresent(wandb::entity);
    // offline: recorded locally for a later mnistlab sync; disabled: locally only (sync leaves
    // such runs alone unless they are named)
    settings.wandbMode().ifPresent(wandb::mode);
    WandbSettings built = wandb.build();
    if (settings.wandbMode().equals(Optional.of(WandbMode.ONLINE)) && built.apiKey().isEmpty()) {
      throw new TrackingException("runner.tracking.wandb is 'online' but no W&B API key was found:"
          + " set WANDB_API_KEY (or ~/.netrc), or use \"wandb\": \"auto\"");
    }
    return builder.wandb(built).build();
  }
}
