package dev.mnistlab.experiments.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * W&amp;B sweep configs as YAML, the form W&amp;B's {@code UpsertSweep} takes and its sweep query
 * answers (a config file's {@code sweep} object is JSON).
 */
public final class SweepYaml {
  private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build());

  private SweepYaml() {}

  /** The sweep object as YAML text. */
  public static String of(JsonNode sweep) {
    try {
      return YAML.writeValueAsString(sweep);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always has a YAML form", e);
    }
  }

  /**
   * Reads a sweep config W&amp;B holds (YAML, or JSON, which is YAML too).
   *
   * @throws JsonProcessingException when the text is not YAML
   */
  public static JsonNode read(String yaml) throws JsonProcessingException {
    return YAML.readTree(yaml);
  }
}
