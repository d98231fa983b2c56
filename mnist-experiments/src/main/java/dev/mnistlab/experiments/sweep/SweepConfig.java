package dev.mnistlab.experiments.sweep;

import dev.mnistlab.data.InputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A sweep configuration file: W&amp;B's sweep object plus the runner's settings, validated against
 * the schema {@value #SCHEMA_RESOURCE} (also in the repository as {@code
 * experiments/mnistlab-sweep.schema.json}).
 *
 * <pre>{@code
 * SweepConfig config = SweepConfig.load(Path.of("experiments/quickstart.json"));
 * SearchStrategy search = SearchStrategy.forSweep(config.sweep(), config.runner().seed());
 * }</pre>
 *
 * @param source the file it was read from, as given
 * @param sweep the search: method, metric, parameters, early termination, run cap
 * @param runner the runner's settings: data, seed, output, tracking
 * @param text the file's content, kept verbatim for the reproducibility record
 */
public record SweepConfig(String source, SweepSpec sweep, RunnerSettings runner, String text) {

  /**
   * The largest config file read (1 MiB): configs are a few hundred bytes; anything bigger (a
   * mistyped path to a dataset, {@code /dev/zero}) is refused before it is read into memory.
   */
  public static final long MAX_FILE_BYTES = 1L << 20;

  /** The classpath resource of the JSON schema. */
  public static final String SCHEMA_RESOURCE =
      "/dev/mnistlab/experiments/sweep/mnistlab-sweep.schema.json";

  /** Checks the components. */
  public SweepConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sweep, "sweep");
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(text, "text");
  }

  /**
   * Reads and validates a config file. The sweep's name defaults to the file name without {@code
   * .json}; the output folder to {@code results/<name>}.
   *
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   * @throws SweepConfigException when the JSON is malformed or breaks the schema or the rules
   *     (message names the file, the JSON path and what was expected)
   */
  public static SweepConfig load(Path file) throws IOException {
    String text = InputFiles.readString(file, MAX_FILE_BYTES, "a sweep config (JSON)");
    String name = file.getFileName().toString().replaceFirst("\\.json$", "");
    return parse(text, file.toString(), name);
  }

  /**
   * Parses and validates config text.
   *
   * @param text the JSON
   * @param source how errors name the config (usually its path)
   * @param defaultName the sweep name when the config has none
   * @throws SweepConfigException when the config is invalid
   */
  public static SweepConfig parse(String text, String source, String defaultName)
      throws SweepConfigException {
    return new SweepConfigParser(source, defaultName).parse(text);
  }

  /** A copy with other runner settings (command-line overrides). */
  public SweepConfig withRunner(RunnerSettings newRunner) {
    return new SweepConfig(source, sweep, newRunner, text);
  }
}
