package dev.mnistlab.experiments.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import dev.mnistlab.data.DatasetUnavailableException;
import dev.mnistlab.experiments.UserInputException;
import dev.mnistlab.models.IncompatibleModelException;
import dev.mnistlab.tracking.TrackingException;
import picocli.CommandLine;

/**
 * The one place that decides whether a failure is the user's (exit code 2, one line, no stack
 * trace) or a bug (exit code 1), and how each is described in one line.
 *
 * <p>User errors are:
 *
 * <ul>
 *   <li>picocli parameter errors (unknown option, missing or malformed argument);
 *   <li>every {@link IOException} (also wrapped in {@link UncheckedIOException}): missing files,
 *       permissions, and the format/config/dataset exceptions of the mnistlab modules, which all
 *       extend {@code IOException} and name the file and what was expected;
 *   <li>a {@link TrackingException}: the run store cannot be opened or written, or W&amp;B
 *       refused the run (bad key, unknown entity); its message says which;
 *   <li>an {@link UserInputException}: whoever found the input wrong said so with this type
 *       (decided where the mistake is detected, never guessed from stack frames), and its
 *       counterpart of mnist-models, {@link IncompatibleModelException} (a model file built for
 *       another input).
 * </ul>
 *
 * Everything else ({@code NullPointerException}, {@code IllegalStateException}, any other
 * {@code IllegalArgumentException}, errors in libraries) is treated as a bug.
 */
final class FailureClassifier {
  /** How the command line names a data folder, added to "data unavailable" messages. */
  static final String DATA_DIR_HINT = "with mnistlab, --data-dir DIR names the data folder";

  private FailureClassifier() {}

  /** Returns true when {@code failure} was caused by the user's input rather than by a bug. */
  static boolean isUserError(Throwable failure) {
    Throwable t = unwrap(failure);
    return t instanceof CommandLine.ParameterException || t instanceof IOException
        || t instanceof TrackingException || t instanceof UserInputException
        || t instanceof IncompatibleModelException;
  }

  /** Describes a user error in one line: which file, what was wrong, what was expected. */
  static String describe(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof NoSuchFileException e) {
      return "no such file or directory: " + e.getFile() + reason(e);
    }
    if (t instanceof AccessDeniedException e) {
      return "permission denied: " + e.getFile() + reason(e);
    }
    if (t instanceof NotDirectoryException e) {
      return "not a directory: " + e.getFile() + reason(e);
    }
    if (t instanceof FileAlreadyExistsException e) {
      return "already exists: " + e.getFile() + reason(e);
    }
    if (t instanceof DirectoryNotEmptyException e) {
      return "directory not empty: " + e.getFile() + reason(e);
    }
    if (t instanceof FileSystemException e && e.getReason() != null) {
      return e.getFile() + ": " + e.getReason();
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    if (t instanceof DatasetUnavailableException) {
      // the library says what is missing; how to name a data folder is the command line's word
      return oneLine(message) + " (" + DATA_DIR_HINT + ")";
    }
    return oneLine(message);
  }

  /** Describes a bug in one line, with the hint to rerun with --debug. */
  static String describeBug(Throwable failure) {
    Throwable t = unwrap(failure);
    String message = t.getMessage() == null ? "" : ": " + oneLine(t.getMessage());
    return "internal error: " + t.getClass().getName() + message
        + " (this is a bug in mnistlab; run with --debug for the stack trace)";
  }

  private static String reason(FileSystemException e) {
    return e.getReason() == null ? "" : " (" + e.getReason() + ")";
  }

  /** The first line of a message ({@code " ..."} marks that more followed), stripped. */
  static String oneLine(String message) {
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip() + " ...";
  }

  /** Peels off wrappers that add nothing for the user (unchecked IO, picocli execution wrappers). */
  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; depth < 5; depth++) {
      if (t instanceof UncheckedIOException && t.getCause() != null) {
        t = t.getCause();
      } else if (t instanceof CommandLine.ExecutionException && t.getCause() != null) {
        t = t.getCause();
      } else {
        break;
      }
    }
    return t;
  }
}
