package dev.mnistlab.tracking.internal.wandb;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed netrc file: {@code machine NAME login USER password SECRET} entries (tokens separated by
 * any whitespace, {@code default} entry, {@code macdef} bodies skipped, {@code #} comments).
 */
public final class Netrc {
  private final Map<String, String> passwords;
  private final String defaultPassword;

  private Netrc(Map<String, String> passwords, String defaultPassword) {
    this.passwords = passwords;
    this.defaultPassword = defaultPassword;
  }

  /** Parses netrc text. */
  public static Netrc parse(String text) {
    StringBuilder cleaned = new StringBuilder();
    boolean inMacro = false;
    for (String line : text.split("\\R", -1)) {
      if (inMacro) {
        if (line.isBlank()) {
          inMacro = false;
        }
        continue;
      }
      String stripped = line.strip();
      if (stripped.startsWith("#")) {
        continue;
      }
      if (stripped.startsWith("macdef")) {
        inMacro = true;
        continue;
      }
      cleaned.append(line).append('\n');
    }
    String[] tokens = cleaned.toString().trim().split("\\s+");
    Map<String, String> passwords = new HashMap<>();
    String defaultPassword = null;
    String machine = null;
    boolean isDefault = false;
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      switch (t) {
        case "machine" -> {
          machine = i + 1 < tokens.length ? tokens[++i] : null;
          isDefault = false;
        }
        case "default" -> {
          machine = null;
          isDefault = true;
        }
        case "password" -> {
          String p = i + 1 < tokens.length ? tokens[++i] : null;
          if (machine != null) {
            passwords.putIfAbsent(machine, p);
          } else if (isDefault) {
            defaultPassword = p;
          }
        }
        case "login", "account" -> i++;
        default -> {
          // unknown token: ignore
        }
      }
    }
    return new Netrc(passwords, defaultPassword);
  }

  /** The password for a machine (host or host:port), falling back to the {@code default} entry. */
  public Optional<String> password(String machine) {
    String p = passwords.get(machine);
    return Optional.ofNullable(p != null ? p : defaultPassword);
  }

  @Override
  public String toString() {
    return "Netrc{machines=" + passwords.keySet() + "}";
  }
}
