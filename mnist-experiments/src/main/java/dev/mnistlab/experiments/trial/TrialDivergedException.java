package dev.mnistlab.experiments.trial;

import dev.mnistlab.experiments.UserInputException;

/**
 * Training diverged: a loss became NaN or infinite, so every later epoch would be noise and the
 * trial's accuracy chance. The trial fails with this reason instead of finishing "at chance";
 * it is the user's input (almost always a learning rate far too large), so the command line
 * answers with exit code 2.
 */
final class TrialDivergedException extends UserInputException {
  private static final long serialVersionUID = 1L;

  TrialDivergedException(String message) {
    super(message);
  }
}
