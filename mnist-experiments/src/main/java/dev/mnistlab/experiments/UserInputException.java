package dev.mnistlab.experiments;

/**
 * The user's input is wrong (a value out of range, settings that contradict each other, a name
 * that does not exist), said in one line that names the input and what was expected. Whoever
 * detects such a mistake throws this type, so the command line can answer with exit code 2 and
 * that line instead of guessing from where an exception came from. Problems with files and
 * configs are {@link java.io.IOException}s (e.g. {@code SweepConfigException}) and count as
 * the user's too.
 */
public class UserInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with its one-line message. */
  public UserInputException(String message) {
    super(message);
  }
}
