package dev.mnistlab.tracking.internal.wandb;

import dev.mnistlab.tracking.WandbSettings;

/** Turns W&amp;B refusals into messages that say what is wrong and what to do. Never includes the key. */
public final class WandbErrors {
  private WandbErrors() {}

  /** A user-facing description of a W&amp;B error for a run. */
  public static String describe(WandbHttpException e, String runId, WandbSettings settings) {
    String server = settings.apiKey().map(k -> e.serverMessage().replace(k, "***")).orElse(e.serverMessage());
    String detail = server.isEmpty() ? "" : " (server said: " + server + ")";
    String entity = settings.entity().map(x -> "entity '" + x + "'").orElse("the key's default entity");
    if (e.isDeletedRunConflict()) {
      return "run id " + runId + " was used by a deleted run; choose a new id (RunSpec.runId or"
          + " WANDB_RUN_ID)" + detail;
    }
    return switch (e.status()) {
      case 401 -> "W&B rejected the API key from " + settings.apiKeySource() + " (HTTP 401) at "
          + settings.baseUrl() + ": check WANDB_API_KEY or the netrc entry for this host" + detail;
      case 403 -> "W&B denied access (HTTP 403) to " + entity + " at " + settings.baseUrl()
          + ": the key has no permission there; check WANDB_ENTITY and the project" + detail;
      case 404 -> "W&B does not know " + entity + " or the project of run " + runId + " (HTTP 404) at "
          + settings.baseUrl() + ": check WANDB_ENTITY / WANDB_PROJECT and WANDB_BASE_URL" + detail;
      default -> "W&B refused run " + runId + " (HTTP " + e.status() + ")" + detail;
    };
  }
}
