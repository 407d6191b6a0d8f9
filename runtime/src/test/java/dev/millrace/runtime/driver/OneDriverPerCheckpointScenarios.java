package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real driver processes of one word count on one checkpoint directory, as two {@code millrace
 * run}s or a zombie and its replacement would start them: the checkpoint's lease lets one write it.
 * Each subclass puts the checkpoint on one file system; input and output stay local.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
abstract class OneDriverPerCheckpointScenarios {
  static final long TIMEOUT_MS = 60_000;

  // Kept when a test fails, with the drivers' logs, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  /** A new checkpoint directory URI on the file system under test. */
  abstract String checkpointUri();

  /** A word count's input and output directories, and the files written into its input. */
  record WordCount(Path in, Path out, TestingWordFiles files) {}

  WordCount wordCount() throws IOException {
    Path in = Files.createDirectories(work.resolve("in"));
    return new WordCount(
        in, Files.createDirectories(work.resolve("out")), new TestingWordFiles(in));
  }

  /** The spec of {@code app}, with 200 ms batches, checkpointing to {@code checkpoint}. */
  Path spec(WordCount app, String checkpoint) {
    return spec(app, new TestingSpec("words", checkpoint), "words.yaml");
  }

  Path spec(WordCount app, TestingSpec spec, String fileName) {
    return spec.mainClass(TestingWordCountApplication.class.getName())
        .args(app.in().toString(), app.out().toString())
        .writeTo(work.resolve(fileName));
  }

  /**
   * Attempt {@code attempt} of {@code spec}'s driver, launched by {@code supervisor}, with {@code
   * more} driver options; its log is {@code <name>.log}.
   */
  TestingDriverJvm start(Path spec, String name, int attempt, String supervisor, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spec",
                spec.toString(),
                "--attempt",
                String.valueOf(attempt),
                "--supervision-id",
                supervisor,
                "--address-file",
                work.resolve(name + ".address").toString()));
    args.addAll(List.of(more));
    return TestingDriverJvm.start(
        System.getProperty("java.class.path"), work.resolve(name + ".log"), args);
  }

  /** Waits until {@code driver} has completed a batch: a file stream ignores older files. */
  void awaitRunning(TestingDriverJvm driver, String name) throws InterruptedException {
    String address = driver.awaitAddress(work.resolve(name + ".address"));
    driver.awaitStatus(address, r -> r.state().equals("RUNNING") && r.batchesCompleted() >= 1);
  }

  /**
   * Writes {@code files} files of words and waits until the counts {@code driver} saved, over every
   * batch of every attempt, equal a count made directly of everything written: nothing lost,
   * nothing counted twice.
   */
  static void countExactly(TestingDriverJvm driver, WordCount app, int files) throws Exception {
    for (int i = 0; i < files; i++) {
      app.files().write(200);
      Thread.sleep(100);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (!TestingWordCountApplication.savedCounts(app.out()).equals(app.files().counts())) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        fail(
            "the driver saved "
                + TestingWordCountApplication.savedCounts(app.out())
                + ", not "
                + app.files().counts()
                + "\n"
                + driver.log());
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aSecondDriverIsRefusedWith75NamingTheFirstWhichGoesOnExactlyAndItStartsOnceTheFirstStops()
      throws Exception {
    WordCount app = wordCount();
    Path spec = spec(app, checkpointUri());

    try (TestingDriverJvm first = start(spec, "first", 1, "run-a")) {
      awaitRunning(first, "first");
      countExactly(first, app, 3);

      try (TestingDriverJvm second = start(spec, "second", 1, "run-b")) {
        assertEquals(75, second.awaitExit(TIMEOUT_MS), second.log());
        String refusal = second.log();
        assertTrue(refusal.contains("is in use by another driver"), refusal);
        assertTrue(refusal.contains("pid " + first.pid() + ", attempt 1 of supervisor run-a"));
        assertTrue(refusal.contains("stop the other driver"), refusal);
      }

      assertTrue(first.isAlive(), first.log());
      countExactly(first, app, 3);
      assertEquals(0, first.terminate(TIMEOUT_MS), first.log());
      assertTrue(first.log().contains("released lease epoch 1"), first.log());
    }

    try (TestingDriverJvm second = start(spec, "second-again", 1, "run-b")) {
      awaitRunning(second, "second-again");
      assertTrue(second.log().contains("lease epoch 1 was released by its holder"), second.log());
      assertTrue(second.log().contains("recovered from checkpoint generation"), second.log());
      countExactly(second, app, 2);
      assertEquals(0, second.terminate(TIMEOUT_MS), second.log());
    }
  }

  @Test
  void aNewerAttemptOfTheSameSupervisorTakesOverAtOnceAndTheRunningOldOneExits75()
      throws Exception {
    WordCount app = wordCount();
    Path spec = spec(app, checkpointUri());

    try (TestingDriverJvm old = start(spec, "attempt-1", 1, "uid-words")) {
      awaitRunning(old, "attempt-1");
      countExactly(old, app, 3);

      // The supervisor lost sight of attempt 1 (a partitioned node) and launched attempt 2.
      try (TestingDriverJvm replacement = start(spec, "attempt-2", 2, "uid-words")) {
        awaitRunning(replacement, "attempt-2");
        assertEquals(75, old.awaitExit(TIMEOUT_MS), old.log());
        String fenced = old.log();
        assertTrue(fenced.contains("lost the lease"), fenced);
        assertTrue(fenced.contains("attempt 2 of supervisor uid-words replaces attempt 1"), fenced);
        assertTrue(
            replacement.log().contains("attempt 2 of supervisor uid-words replaces attempt 1"),
            replacement.log());

        countExactly(replacement, app, 3);
        assertEquals(0, replacement.terminate(TIMEOUT_MS), replacement.log());
      }
    }
  }
}
