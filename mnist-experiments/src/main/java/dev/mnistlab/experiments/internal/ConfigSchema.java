package dev.mnistlab.experiments.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A JSON Schema (draft 7) loaded from the classpath, whose violations come back as values: where
 * (the instance location's segments and its JSON path), what kind, which key, what was expected
 * and what was found. Callers format them; nothing here is parsed back from text.
 */
public final class ConfigSchema {
  private final JsonSchema schema;

  private ConfigSchema(JsonSchema schema) {
    this.schema = schema;
  }

  /** What kind of schema rule a value broke. */
  public enum Kind {
    /** Wrong JSON type. */
    TYPE,
    /** A key the object does not allow. */
    UNKNOWN_KEY,
    /** A required key is absent. */
    MISSING_KEY,
    /** Not one of the allowed values. */
    ENUM,
    /** Below the minimum or above the maximum. */
    RANGE,
    /** Any other rule (the validator's message in {@code expected}). */
    OTHER
  }

  /**
   * One schema violation.
   *
   * @param location the instance location, one element per step (a key or an array index)
   * @param path the same as a JSON path, e.g. {@code $.sweep.parameters.model.values[2]}
   * @param kind the rule broken
   * @param key the key concerned ({@link Kind#UNKNOWN_KEY}, {@link Kind#MISSING_KEY})
   * @param expected what was expected (a type, a list of values, a bound), may be empty
   * @param got the value found, rendered as short JSON, when there is one
   */
  public record Violation(List<Object> location, String path, Kind kind, Optional<String> key,
      String expected, Optional<String> got) {
    /** Copies the location. */
    public Violation {
      location = List.copyOf(location);
    }
  }

  /**
   * Loads a schema shipped as a classpath resource.
   *
   * @param resource absolute resource name, e.g. {@code /dev/mnistlab/.../x.schema.json}
   */
  public static ConfigSchema fromResource(String resource) {
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
      return new ConfigSchema(schema);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema resource " + resource, e);
    }
  }

  /** Validates {@code document}; returns its violations sorted by path (duplicates dropped). */
  public List<Violation> violations(JsonNode document) {
    List<ValidationMessage> messages = new ArrayList<>(schema.validate(document));
    messages.sort(Comparator.comparing(m -> m.getInstanceLocation().toString()));
    List<Violation> found = new ArrayList<>();
    for (ValidationMessage message : messages) {
      Violation v = describe(message);
      if (!found.contains(v)) {
        found.add(v);
      }
    }
    return found;
  }

  private static Violation describe(ValidationMessage m) {
    JsonNodePath at = m.getInstanceLocation();
    List<Object> location = new ArrayList<>();
    for (int i = 0; i < at.getNameCount(); i++) {
      location.add(at.getElement(i));
    }
    String path = at.toString();
    Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
    Optional<String> got = Optional.ofNullable(m.getInstanceNode()).map(ConfigSchema::render);
    switch (m.getType()) {
      case "type":
        if (args.length >= 2) {
          return new Violation(location, path, Kind.TYPE, Optional.empty(),
              String.valueOf(args[1]), Optional.of(String.valueOf(args[0])));
        }
        break;
      case "additionalProperties":
      case "required": {
        String key = m.getProperty() != null ? m.getProperty()
            : args.length > 0 ? String.valueOf(args[0]) : "?";
        return new Violation(location, path,
            m.getType().equals("required") ? Kind.MISSING_KEY : Kind.UNKNOWN_KEY,
            Optional.of(key), "", Optional.empty());
      }
      case "enum":
        if (args.length >= 1) {
          return new Violation(location, path, Kind.ENUM, Optional.empty(),
              "one of " + args[0], got);
        }
        break;
      case "minimum":
      case "exclusiveMinimum":
      case "maximum":
      case "exclusiveMaximum":
        if (args.length >= 1) {
          String bound = switch (m.getType()) {
            case "minimum" -> ">= ";
            case "exclusiveMinimum" -> "> ";
            case "maximum" -> "<= ";
            default -> "< ";
          };
          return new Violation(location, path, Kind.RANGE, Optional.empty(),
              "a number " + bound + args[0], got);
        }
        break;
      case "pattern":
        if (location.equals(List.of("runner", "spark"))) {
          return new Violation(location, path, Kind.ENUM, Optional.empty(),
              "a Spark master: local, local[N], spark://host:port, yarn or k8s://URL", got);
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
    return new Violation(location, path, Kind.OTHER, Optional.empty(), text, got);
  }

  private static String render(JsonNode node) {
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
