package dev.mnistlab.experiments.sweep;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with a sweep config: where (a JSON path such as {@code
 * $.sweep.parameters.model.values[2]}), what kind of problem, the key concerned, what was
 * expected and what was found. {@link #message()} formats it as one line.
 *
 * @param path the JSON path of the offending value or object ({@code $} for the document)
 * @param kind the kind of problem
 * @param key for {@link Kind#UNKNOWN_KEY} and {@link Kind#MISSING_KEY}: the key, unless the path
 *     already ends with it; for {@link Kind#UNKNOWN_NAME} what the name is of
 * @param expected what was expected (e.g. {@code integer}, {@code an integer >= 1}, the allowed
 *     keys); for {@link Kind#RULE} the rule that was broken; may be empty
 * @param got what was found, rendered as JSON, when there is a value to show
 */
public record ConfigViolation(
    String path, Kind kind, Optional<String> key, String expected, Optional<String> got) {

  /** The kinds of problem. */
  public enum Kind {
    /** The text is not JSON ({@link #path} is {@code $}; {@link #expected} says where and why). */
    SYNTAX,
    /** A value of the wrong JSON type. */
    TYPE,
    /** A key that is not allowed in that object. */
    UNKNOWN_KEY,
    /** A required key that is absent. */
    MISSING_KEY,
    /** A value of the right type outside what is allowed (range, set of names, finite...). */
    VALUE,
    /** A name that is not one of those known ({@link #key} says of what, e.g. {@code model}). */
    UNKNOWN_NAME,
    /** Values that do not fit together (e.g. {@code min} &gt; {@code max}). */
    RULE
  }

  /** Checks the components. */
  public ConfigViolation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(got, "got");
  }

  /** A value outside what is allowed, e.g. {@code (path, "an integer >= 1", "0")}. */
  public static ConfigViolation value(String path, String expected, Object got) {
    return new ConfigViolation(path, Kind.VALUE, Optional.empty(), expected,
        Optional.of(String.valueOf(got)));
  }

  /** A broken rule, said in words. */
  public static ConfigViolation rule(String path, String rule) {
    return new ConfigViolation(path, Kind.RULE, Optional.empty(), rule, Optional.empty());
  }

  /** The problem in one line: {@code $.path: expected X, got Y}. */
  public String message() {
    return switch (kind) {
      case SYNTAX -> expected;
      case TYPE, VALUE -> path + ": expected " + expected + got.map(g -> ", got " + g).orElse("");
      case UNKNOWN_KEY -> path + ": unknown key" + key.map(k -> " '" + k + "'").orElse("")
          + (expected.isEmpty() ? "" : " (expected one of: " + expected + ")");
      case MISSING_KEY -> path + ": missing required key" + key.map(k -> " '" + k + "'").orElse("")
          + (expected.isEmpty() ? "" : " (" + expected + ")");
      case UNKNOWN_NAME -> path + ": unknown " + key.orElse("name") + got.map(g -> " '" + g + "'")
          .orElse("") + " (expected one of: " + expected + ")";
      case RULE -> path + ": " + expected + got.map(g -> ", got " + g).orElse("");
    };
  }

  @Override
  public String toString() {
    return message();
  }
}
