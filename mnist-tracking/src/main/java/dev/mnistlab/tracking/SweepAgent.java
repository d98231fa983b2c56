package dev.mnistlab.tracking;

import dev.mnistlab.tracking.internal.wandb.Retrier;
import dev.mnistlab.tracking.internal.wandb.RetryPolicy;
import dev.mnistlab.tracking.internal.wandb.Sleeper;
import dev.mnistlab.tracking.internal.wandb.SweepApi;
import dev.mnistlab.tracking.internal.wandb.Ticker;
import dev.mnistlab.tracking.internal.wandb.WandbHttpException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process registered as an agent of a W&amp;B sweep ({@code CreateAgent}, PROTOCOL §7.3), made
 * by {@link Tracker#sweepAgent}. The caller sends a {@link #heartbeat} about every
 * {@link #HEARTBEAT_INTERVAL} with the runs it is running and carries out the commands W&amp;B
 * answers; runs it starts with {@link RunSpec.Builder#sweep(String) sweep}{@code (}{@link
 * #sweepKey()}{@code )} and the command's run id are attached to the sweep. A heartbeat W&amp;B
 * answers with 404 (the sweep was deleted) throws {@link SweepNotFoundException}; other failures
 * are retried as every GraphQL call is.
 */
public final class SweepAgent {
  private static final Logger LOG = LoggerFactory.getLogger(SweepAgent.class);
  /** How often the official agent sends a heartbeat ({@code HEARTBEAT_SLEEP_SECONDS}). */
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  private final SweepApi api;
  private final String path;
  private final String sweepKey;
  private final String agentId;
  private final Optional<String> configYaml;
  private final Optional<String> url;
  private final Retrier retrier = new Retrier(Ticker.SYSTEM, Sleeper.system());
  private final RetryPolicy policy;

  SweepAgent(SweepApi api, WandbSettings settings, String path, String sweepKey, String agentId,
      Optional<String> configYaml, Optional<String> url) {
    this.api = api;
    this.path = path;
    this.sweepKey = sweepKey;
    this.agentId = agentId;
    this.configYaml = configYaml;
    this.url = url;
    this.policy = RetryPolicy.mostFailures(settings.minRetryWait(), settings.maxRetryWait(),
        settings.graphqlMaxRetries(), () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The sweep as {@code entity/project/id} (entity left out when it is the key's default). */
  public String path() {
    return path;
  }

  /** The key the sweep is recorded under in the local store (for {@link RunSpec.Builder#sweep}). */
  public String sweepKey() {
    return sweepKey;
  }

  /** W&amp;B's id of this agent. */
  public String agentId() {
    return agentId;
  }

  /** The sweep's config (YAML) as W&amp;B holds it, when W&amp;B sent it. */
  public Optional<String> configYaml() {
    return configYaml;
  }

  /** The sweep page, when the entity is known. */
  public Optional<String> url() {
    return url;
  }

  /**
   * Sends one heartbeat reporting {@code runningRuns} and returns W&amp;B's commands, in order.
   *
   * @throws SweepNotFoundException when W&amp;B answers 404: the sweep is gone
   * @throws TrackingException when W&amp;B refused the heartbeat or did not answer after retrying
   */
  public List<AgentCommand> heartbeat(List<String> runningRuns) {
    Objects.requireNonNull(runningRuns, "runningRuns");
    try {
      return retrier.run("agent heartbeat", policy, () -> Long.MAX_VALUE,
          t -> api.heartbeat(agentId, runningRuns, t), (attempt, failure, wait) -> {
            if (attempt == 0 || attempt % 10 == 0) {
              LOG.warn("W&B agent heartbeat for sweep {} failed ({}); retry {} in {} ms", path,
                  failure.getMessage(), attempt + 1, wait.toMillis());
            }
          });
    } catch (WandbHttpException e) {
      if (e.status() == 404) {
        throw new SweepNotFoundException("W&B sweep " + path + " is gone (the heartbeat was"
            + " answered 404: the sweep was deleted)");
      }
      throw new TrackingException("W&B refused the agent's heartbeat for sweep " + path + ": "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new TrackingException("W&B did not answer the agent's heartbeats for sweep " + path
          + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while sending the agent's heartbeat", e);
    }
  }

  @Override
  public String toString() {
    return "SweepAgent{" + path + ", agent " + agentId + "}";
  }
}
