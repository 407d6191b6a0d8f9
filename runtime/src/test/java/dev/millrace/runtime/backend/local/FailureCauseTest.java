package dev.millrace.runtime.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureCauseTest {
  @TempDir Path dir;

  private Optional<String> causeOf(String log) throws Exception {
    return FailureCause.in(Files.writeString(dir.resolve("driver-1.log"), log));
  }

  @Test
  void theLastErrorLineIsTheCauseEvenWhenAStackTraceFollowsIt() throws Exception {
    String log =
        """
        [main] INFO dev.millrace.runtime.driver.Driver - driver attempt 1 serves its status
        [main] ERROR dev.millrace.runtime.scheduler.BatchScheduler - batch 1000 failed: first
        [main] ERROR dev.millrace.runtime.driver.Driver - application 'a' failed: second
        java.lang.IllegalStateException: cannot reach the config service
        \tat com.example.App.define(App.java:12)
        Caused by: java.net.ConnectException: refused
        \t... 3 more
        [Thread-3] INFO dev.millrace.runtime.driver.StatusServer - status server stopped
        """;

    assertEquals(
        Optional.of(
            "[main] ERROR dev.millrace.runtime.driver.Driver - application 'a' failed: second"),
        causeOf(log));
  }

  @Test
  void theExamplesLogFormatAndWhatMillraceItselfPrintsCountAsErrors() throws Exception {
    assertEquals(
        Optional.of("12:00:01.250 ERROR Driver - application 'a' failed: boom"),
        causeOf(
            "12:00:01.000 INFO Driver - started\n12:00:01.250 ERROR Driver - application 'a' failed: boom\n"));
    assertEquals(
        Optional.of("millrace: main class com.example.App is not in the jars [app.jar]"),
        causeOf("millrace: main class com.example.App is not in the jars [app.jar]\n"));
  }

  @Test
  void withoutAnErrorLineTheLastExceptionThatStartsAStackTraceIsTheCause() throws Exception {
    String log =
        """
        [main] INFO dev.millrace.runtime.driver.Driver - started
        Exception in thread "main" java.lang.OutOfMemoryError: Java heap space
        \tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)
        """;

    assertEquals(
        Optional.of("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"),
        causeOf(log));
  }

  @Test
  void aLogWithoutAnErrorOrNoLogAtAllGivesNoCause() throws Exception {
    assertEquals(Optional.empty(), causeOf("[main] INFO Driver - batch 1000 completed\n"));
    assertEquals(Optional.empty(), FailureCause.in(dir.resolve("absent.log")));
  }

  @Test
  void onlyTheEndOfALongLogIsReadAndALongCauseIsCut() throws Exception {
    StringBuilder log = new StringBuilder("[main] ERROR Driver - an old error\n");
    while (log.length() < 3 * FailureCause.TAIL_BYTES) {
      log.append("[main] INFO Driver - batch completed\n");
    }
    log.append("[main] ERROR Driver - ")
        .append("x".repeat(2 * FailureCause.MAX_LENGTH))
        .append('\n');

    String cause = causeOf(log.toString()).orElseThrow();

    assertEquals(FailureCause.MAX_LENGTH, cause.length());
    assertTrue(cause.startsWith("[main] ERROR Driver - xxx") && cause.endsWith("…"), cause);
    assertEquals(
        Optional.empty(),
        causeOf(log.substring(0, log.lastIndexOf("[main] ERROR"))),
        "an error older than the tail is not the cause");
  }
}
