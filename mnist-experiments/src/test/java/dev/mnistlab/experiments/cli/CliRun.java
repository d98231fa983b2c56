package dev.mnistlab.experiments.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of the mnistlab command line, with captured output. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return of(MnistlabCommand.newCommandLine(), args);
  }

  static CliRun of(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  List<String> errLines() {
    return err.lines().toList();
  }
}
