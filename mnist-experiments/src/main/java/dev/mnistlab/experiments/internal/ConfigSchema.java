package dev.mnistlab.experiments.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A JSON Schema (draft 7) loaded from the classpath, whose violations are turned into short,
 * specific lines: {@code $.path: expected integer, got string}, {@code $.sweep: unknown key
 * 'foo'}, {@code $.sweep: missing required key 'metric'}.
 */
public final class ConfigSchema {
  private final JsonSchema schema;
  private final Function<String, String> unknownKeyHint;

  private ConfigSchema(JsonSchema schema, Function<String, String> unknownKeyHint) {
    this.schema = schema;
    this.unknownKeyHint = unknownKeyHint;
  }

  /**
   * Loads a schema shipped as a classpath resource.
   *
   * @param resource absolute resource name, e.g. {@code /dev/mnistlab/.../x.schema.json}
   * @param unknownKeyHint given the JSON path of an object with an unknown key, returns a hint
   *     appended to the message (e.g. the keys that are allowed there), or an empty string
   */
  public static ConfigSchema fromResource(String resource, Function<String, String> unknownKeyHint) {
    try (InputStream in = ConfigSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing from the jar: " + resource);
      }
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_PATH)
          .locale(Locale.ENGLISH)
          .build();
      JsonSchema schema =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in, config);
      return new ConfigSchema(schema, unknownKeyHint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema resource " + resource, e);
    }
  }

  /** Validates {@code document}; returns one line per violation, sorted by path, or none. */
  public List<String> violations(JsonNode document) {
    List<ValidationMessage> messages = new ArrayList<>(schema.validate(document));
    messages.sort(Comparator.comparing(m -> m.getInstanceLocation().toString()));
    List<String> lines = new ArrayList<>();
    for (ValidationMessage message : messages) {
      String line = describe(message);
      if (!lines.contains(line)) {
        lines.add(line);
      }
    }
    return lines;
  }

  private String describe(ValidationMessage m) {
    String path = m.getInstanceLocation().toString();
    Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
    JsonNode instance = m.getInstanceNode();
    switch (m.getType()) {
      case "type":
        if (args.length >= 2) {
          return path + ": expected " + args[1] + ", got " + args[0];
        }
        break;
      case "additionalProperties": {
        String key = m.getProperty() != null ? m.getProperty()
            : args.length > 0 ? String.valueOf(args[0]) : "?";
        return path + ": unknown key '" + key + "'" + unknownKeyHint.apply(path);
      }
      case "required": {
        String key = m.getProperty() != null ? m.getProperty()
            : args.length > 0 ? String.valueOf(args[0]) : "?";
        return path + ": missing required key '" + key + "'";
      }
      case "enum":
        if (args.length >= 1) {
          return path + ": expected one of " + args[0] + ", got " + render(instance);
        }
        break;
      default:
        break;
    }
    String text = m.getMessage();
    String prefix = path + ": ";
    if (text.startsWith(prefix)) {
      text = text.substring(prefix.length());
    }
    return path + ": " + text + (instance == null ? "" : ", got " + render(instance));
  }

  private static String render(JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  /** Formats a list of allowed keys for a hint, e.g. {@code " (expected one of: a, b)"}. */
  public static String allowedKeys(String... keys) {
    return " (expected one of: " + String.join(", ", Arrays.asList(keys)) + ")";
  }
}
