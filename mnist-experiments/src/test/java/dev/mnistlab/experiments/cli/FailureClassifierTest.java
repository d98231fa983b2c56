package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

  @Test
  void ioExceptionsAreUserErrors() {
    assertThat(FailureClassifier.isUserError(new IOException("data/x.idx: truncated"))).isTrue();
    assertThat(FailureClassifier.isUserError(
        new UncheckedIOException(new NoSuchFileException("a")))).isTrue();
  }

  @Test
  void invalidInputIsAUserErrorDecidedByItsTypeNotByWhereItWasThrown() {
    assertThat(FailureClassifier.isUserError(
        new dev.mnistlab.experiments.UserInputException("validation_size 900 leaves no"
            + " training images"))).isTrue();
    // an IllegalArgumentException is a bug wherever it comes from, even from mnistlab code
    IllegalArgumentException ours = new IllegalArgumentException("index must be >= 0");
    ours.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("dev.mnistlab.models.ModelZoo", "get", "ModelZoo.java", 1)});
    assertThat(FailureClassifier.isUserError(ours)).isFalse();
  }

  @Test
  void runtimeFailuresAreBugs() {
    assertThat(FailureClassifier.isUserError(new NullPointerException())).isFalse();
    assertThat(FailureClassifier.isUserError(new IllegalStateException("x"))).isFalse();
  }

  @Test
  void describesFileSystemProblemsWithTheFile() {
    assertThat(FailureClassifier.describe(new AccessDeniedException("/etc/shadow")))
        .isEqualTo("permission denied: /etc/shadow");
    assertThat(FailureClassifier.describe(new UncheckedIOException(new NoSuchFileException("m.zip"))))
        .isEqualTo("no such file or directory: m.zip");
  }

  @Test
  void keepsOnlyTheFirstLineOfMultiLineMessages() {
    assertThat(FailureClassifier.describe(new IOException("first line\nsecond line")))
        .isEqualTo("first line ...");
  }
}
