package dev.millrace.runtime.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.crds.Phase;
import dev.millrace.runtime.checkpoint.TestingDeletion;
import dev.millrace.runtime.launch.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code millrace run}s of one application, from copies of its spec with their own run
 * directories, as a user starts them from two terminals: the run lock of a run directory cannot see
 * the other, the checkpoint's lease does.
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TwoRunsOneCheckpointTest {
  // Kept with the drivers' logs when a test fails.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  private final ByteArrayOutputStream firstConsole = new ByteArrayOutputStream();
  private final ByteArrayOutputStream secondConsole = new ByteArrayOutputStream();

  @Test
  void theSecondRunOfACopiedSpecFailsWith75AndSaysWhyWhileTheFirstRunsOn() throws Exception {
    Path spec = writeSpec(work.resolve("a"));
    Path copy = Files.copy(spec, Files.createDirectories(work.resolve("b")).resolve("app.yaml"));
    LocalRun first = prepare(spec, work.resolve("run-a"), firstConsole);
    CompletableFuture<Integer> firstResult = runInBackground(first);
    await("the first run's first batch", () -> batchesOf(first) >= 1, firstConsole);

    LocalRun second = prepare(copy, work.resolve("run-b"), secondConsole);
    int code = second.run();

    String console = text(secondConsole);
    assertEquals(ExitCode.CHECKPOINT_IN_USE.code(), code, console);
    assertEquals(Phase.Failed, second.view().phase());
    assertTrue(console.contains("exited with code 75 (CheckpointInUse)"), console);
    assertTrue(console.contains("Another driver holds the checkpoint directory"), console);
    String refusal = Files.readString(second.logDirectory().orElseThrow().resolve("driver-1.log"));
    long firstDriver =
        Long.parseLong(Files.readString(first.runDirectory().resolve("driver.pid")).trim());
    assertTrue(refusal.contains("is in use by another driver"), refusal);
    assertTrue(refusal.contains("pid " + firstDriver + ", attempt 1 of supervisor run-"), refusal);

    long before = batchesOf(first);
    await("the first run going on", () -> batchesOf(first) > before + 2, firstConsole);
    assertEquals(1, first.view().attempt(), "the first run's driver was never disturbed");
    first.requestStop();
    assertEquals(ExitCode.OK.code(), firstResult.get(60, TimeUnit.SECONDS), text(firstConsole));

    LocalRun again = prepare(copy, work.resolve("run-b"), secondConsole);
    CompletableFuture<Integer> againResult = runInBackground(again);
    await(
        "the second run's first batch once the first stopped",
        () -> batchesOf(again) >= 1,
        secondConsole);
    again.requestStop();
    assertEquals(ExitCode.OK.code(), againResult.get(60, TimeUnit.SECONDS), text(secondConsole));
  }

  @Test
  void aCheckpointDeletedUnderTheRunEndsItWith74NamingTheCauseAndTheNextRunStartsAfresh()
      throws Exception {
    Path spec = writeSpec(work.resolve("a"));
    LocalRun run = prepare(spec, work.resolve("run-a"), firstConsole);
    CompletableFuture<Integer> result = runInBackground(run);
    await("a first batch", () -> batchesOf(run) >= 1, firstConsole);

    TestingDeletion.deleteTree(work.resolve("checkpoint"));

    assertEquals(
        ExitCode.CHECKPOINT_DAMAGED.code(), result.get(60, TimeUnit.SECONDS), text(firstConsole));
    String console = text(firstConsole);
    assertEquals(Phase.Failed, run.view().phase(), console);
    assertEquals(0, run.view().restartsTotal(), "a vanished checkpoint is never restarted");
    assertTrue(console.contains("exited with code 74 (DamagedCheckpoint)"), console);
    assertTrue(console.contains("deleted while the driver ran"), console);
    String log = Files.readString(run.logDirectory().orElseThrow().resolve("driver-1.log"));
    assertTrue(log.contains("vanished while the driver was running"), log);

    LocalRun next = prepare(spec, work.resolve("run-a"), secondConsole);
    CompletableFuture<Integer> nextResult = runInBackground(next);
    await("the next run's first batch", () -> batchesOf(next) >= 1, secondConsole);
    next.requestStop();
    assertEquals(ExitCode.OK.code(), nextResult.get(60, TimeUnit.SECONDS), text(secondConsole));
  }

  /** The supervised word count's spec in {@code folder}, checkpointing to one absolute path. */
  private Path writeSpec(Path folder) throws IOException {
    Path input = Files.createDirectories(work.resolve("input"));
    Path output = Files.createDirectories(work.resolve("output"));
    String yaml =
        """
        apiVersion: millrace.dev/v1alpha1
        kind: StreamingApp
        metadata:
          name: shared
        spec:
          application:
            mainClass: %s
            args: [count, %s, %s]
          batchInterval: 200ms
          checkpoint:
            dir: %s
            interval: 600ms
          driver: {memory: 256Mi}
          restartPolicy: {backoff: {initial: 200ms}}
        """
            .formatted(
                TestingSupervisedApp.class.getName(), input, output, work.resolve("checkpoint"));
    return Files.writeString(Files.createDirectories(folder).resolve("app.yaml"), yaml);
  }

  private static LocalRun prepare(Path spec, Path runDirectory, ByteArrayOutputStream console) {
    return LocalRun.prepare(
        spec,
        LocalRunOptions.defaults()
            .withRunDirectory(runDirectory)
            .withProgressInterval(Duration.ofMillis(500))
            .withJvmOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"))
            .withOut(new PrintStream(console, true, StandardCharsets.UTF_8)));
  }

  private static CompletableFuture<Integer> runInBackground(LocalRun run) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(run.run());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "local-run");
    t.setDaemon(true);
    t.start();
    return result;
  }

  private static long batchesOf(LocalRun run) {
    return run.lastReport()
        .filter(r -> r.attempt() == run.view().attempt())
        .map(r -> r.batchesCompleted())
        .orElse(0L);
  }

  private static void await(String what, BooleanSupplier condition, ByteArrayOutputStream console)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("no " + what + " within 60 s; printed so far:\n" + text(console));
      }
      Thread.sleep(50);
    }
  }

  private static String text(ByteArrayOutputStream console) {
    return console.toString(StandardCharsets.UTF_8);
  }
}
