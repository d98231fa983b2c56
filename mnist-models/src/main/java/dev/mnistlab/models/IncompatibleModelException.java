package dev.mnistlab.models;

/**
 * The network cannot take what it is given: a model built for another input (not 28x28 grey
 * images). The message says what the network's first layer expects. It is the caller's input
 * that is wrong (which model file), so a command line answers it as a user error.
 */
public final class IncompatibleModelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with its message and DL4J's own complaint as the cause. */
  public IncompatibleModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
