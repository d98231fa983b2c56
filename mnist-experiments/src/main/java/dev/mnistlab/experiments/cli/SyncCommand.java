package dev.mnistlab.experiments.cli;

import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.SyncReport;
import dev.mnistlab.tracking.Syncer;
import dev.mnistlab.tracking.WandbSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab sync [RUN_ID...]}: uploads to W&amp;B whatever the local store holds that W&amp;B
 * has not acknowledged (after an outage, offline mode or a crash). Without run ids it takes the runs
 * recorded for W&amp;B (online or offline); a run recorded with W&amp;B disabled is uploaded only when
 * named or with {@code --include-disabled}. {@code --timeout} bounds the whole command.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Upload runs (or what is missing of them) from the local store to W&B.")
final class SyncCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOption store;

  @Parameters(paramLabel = "RUN_ID", arity = "0..*",
      description = "Runs to upload, recorded for W&B or not (default: every run recorded for"
          + " W&B, online or offline, that W&B does not have completely).")
  List<String> runIds = new ArrayList<>();

  @Option(names = "--include-disabled",
      description = "Without RUN_IDs: also upload runs recorded with W&B disabled.")
  boolean includeDisabled;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
      description = "Give up after this many seconds in all, whatever the server does (default:"
          + " ${DEFAULT-VALUE}); run sync again later for the rest.")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    WandbSettings settings = WandbSettings.fromEnvironment(CliEnvironment.get());
    if (settings.apiKey().isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no W&B API key: set"
          + " WANDB_API_KEY or add the key to ~/.netrc (machine api.wandb.ai)");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (LocalStore local = store.openExisting()) {
      Syncer syncer = Syncer.builder().store(local).wandb(settings)
          .includeRunsWithoutWandb(includeDisabled).build();
      Duration timeout = Duration.ofSeconds(timeoutSeconds);
      SyncReport report = runIds.isEmpty() ? syncer.syncAll(timeout) : syncer.sync(runIds, timeout);
      out.println(report.describe());
      out.flush();
      return report.allComplete() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
  }
}
