/**
 * The {@code mnistlab} command line (picocli): {@link dev.mnistlab.experiments.cli.MnistlabCommand}
 * and its subcommands. This is the only package that writes to standard output and standard error;
 * it decides centrally which failures are user errors (exit code 2, one line, no stack trace) and
 * which are bugs (exit code 1).
 */
package dev.mnistlab.experiments.cli;
