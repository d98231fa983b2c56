package dev.mnistlab.tracking.internal.wandb;

import java.io.IOException;
import java.time.Duration;

/**
 * A W&amp;B request answered with an HTTP error status (or a GraphQL error with status 200). The
 * message holds the server's error text, never the API key.
 */
public final class WandbHttpException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String serverMessage;
  private final transient Duration retryAfter;

  /** Creates the exception. */
  public WandbHttpException(String operation, int status, String serverMessage, Duration retryAfter) {
    super(operation + " failed: HTTP " + status + (serverMessage == null || serverMessage.isEmpty()
        ? "" : " (" + serverMessage + ")"));
    this.status = status;
    this.serverMessage = serverMessage == null ? "" : serverMessage;
    this.retryAfter = retryAfter;
  }

  /** HTTP status; 200 for GraphQL errors. */
  public int status() {
    return status;
  }

  /** The server's error text (may be empty). */
  public String serverMessage() {
    return serverMessage;
  }

  /** The server's {@code Retry-After}, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** True for the server's 409 about a run id that belonged to a deleted run. */
  public boolean isDeletedRunConflict() {
    return (status == 409 || status == 200) && serverMessage.toLowerCase(java.util.Locale.ROOT).contains("deleted");
  }
}
