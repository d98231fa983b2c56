package dev.mnistlab.tracking.internal.wandb;

/** W&amp;B's mapping from the API URL to the web app URL, and run page links. */
public final class AppUrls {
  private AppUrls() {}

  /**
   * {@code ://api.wandb.} loses {@code api.} ({@code https://api.wandb.ai} becomes
   * {@code https://wandb.ai}); any other {@code ://api.} host becomes {@code ://app.}; anything
   * else is unchanged (as {@code wandb/util.py::api_to_app_url}).
   */
  public static String fromBaseUrl(String baseUrl) {
    if (baseUrl.contains("://api.wandb.")) {
      return baseUrl.replace("://api.wandb.", "://wandb.");
    }
    if (baseUrl.contains("://api.")) {
      return baseUrl.replace("://api.", "://app.");
    }
    return baseUrl;
  }

  /** {@code {app}/{entity}/{project}/runs/{runId}}. */
  public static String runUrl(String appUrl, String entity, String project, String runId) {
    return appUrl + "/" + entity + "/" + project + "/runs/" + runId;
  }

  /** {@code {app}/{entity}/{project}/sweeps/{sweepId}}. */
  public static String sweepUrl(String appUrl, String entity, String project, String sweepId) {
    return appUrl + "/" + entity + "/" + project + "/sweeps/" + sweepId;
  }
}
