package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
  private static final Pattern OUTPUT = Pattern.compile("counts-(\\d+)\\.txt");

  // Kept when a test fails, with the drivers' logs, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  /** A new checkpoint directory URI on the file system under test. */
  abstract String checkpointUri();

  /** The word count of files in {@code in}, counts saved to {@code out}. */
  Path spec(Path in, Path out, String checkpoint) {
    return new TestingSpec("words", checkpoint)
        .mainClass(TestingWordCountApplication.class.getName())
        .args(in.toString(), out.toString())
        .writeTo(work.resolve("words.yaml"));
  }

  /**
   * Attempt {@code attempt} of {@code spec}'s driver, launched by {@code supervisor}, with {@code
   * more} driver options.
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
  String awaitRunning(TestingDriverJvm driver, String name) throws InterruptedException {
    String address = driver.awaitAddress(work.resolve(name + ".address"));
    driver.awaitStatus(address, r -> r.state().equals("RUNNING") && r.batchesCompleted() >= 1);
    return address;
  }

  @Test
  void aSecondDriverIsRefusedWith75NamingTheFirstWhichGoesOnExactlyAndItStartsOnceTheFirstStops()
      throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec = spec(in, out, checkpointUri());
    TestingWordFiles files = new TestingWordFiles(in);

    try (TestingDriverJvm first = start(spec, "first", 1, "run-a")) {
      awaitRunning(first, "first");
      writeFiles(files, 3);
      awaitCounts(first, out, files);

      try (TestingDriverJvm second = start(spec, "second", 1, "run-b")) {
        assertEquals(75, second.awaitExit(TIMEOUT_MS), second.log());
        String refusal = second.log();
        assertTrue(refusal.contains("is in use by another driver"), refusal);
        assertTrue(refusal.contains("pid " + first.pid() + ", attempt 1 of supervisor run-a"));
        assertTrue(refusal.contains("stop the other driver"), refusal);
      }

      assertTrue(first.isAlive(), first.log());
      writeFiles(files, 3);
      awaitCounts(first, out, files);
      assertEquals(files.counts(), savedCounts(out));
      assertEquals(0, first.terminate(TIMEOUT_MS), first.log());
      assertTrue(first.log().contains("released lease epoch 1"), first.log());
    }

    try (TestingDriverJvm second = start(spec, "second-again", 1, "run-b")) {
      awaitRunning(second, "second-again");
      assertTrue(second.log().contains("lease epoch 1 was released by its holder"), second.log());
      assertTrue(second.log().contains("recovered from checkpoint generation"), second.log());
      writeFiles(files, 2);
      awaitCounts(second, out, files);
      assertEquals(files.counts(), savedCounts(out));
      assertEquals(0, second.terminate(TIMEOUT_MS), second.log());
    }
  }

  @Test
  void aNewerAttemptOfTheSameSupervisorTakesOverAtOnceAndTheRunningOldOneExits75()
      throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec = spec(in, out, checkpointUri());
    TestingWordFiles files = new TestingWordFiles(in);

    try (TestingDriverJvm old = start(spec, "attempt-1", 1, "uid-words")) {
      awaitRunning(old, "attempt-1");
      writeFiles(files, 3);
      awaitCounts(old, out, files);

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

        writeFiles(files, 3);
        awaitCounts(replacement, out, files);
        assertEquals(files.counts(), savedCounts(out));
        assertEquals(0, replacement.terminate(TIMEOUT_MS), replacement.log());
      }
    }
  }

  void writeFiles(TestingWordFiles files, int count) throws IOException, InterruptedException {
    for (int i = 0; i < count; i++) {
      files.write(200);
      Thread.sleep(100);
    }
  }

  static void awaitCounts(TestingDriverJvm driver, Path out, TestingWordFiles files)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (!savedCounts(out).equals(files.counts())) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        fail(
            "the driver saved "
                + savedCounts(out)
                + ", not "
                + files.counts()
                + "\n"
                + driver.log());
      }
      Thread.sleep(50);
    }
  }

  /** The counts of every completed batch, summed by word: a batch saved twice counts twice. */
  static TreeMap<String, Long> savedCounts(Path out) throws IOException {
    TreeMap<String, Long> counts = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(out)) {
      for (Path dir : dirs.toList()) {
        Matcher m = OUTPUT.matcher(dir.getFileName().toString());
        if (!m.matches() || !Files.exists(dir.resolve("_SUCCESS"))) {
          continue;
        }
        try (Stream<Path> parts = Files.list(dir)) {
          for (Path part :
              parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
            for (String line : Files.readAllLines(part)) {
              String[] wordAndCount = line.split(" ");
              counts.merge(wordAndCount[0], Long.parseLong(wordAndCount[1]), Long::sum);
            }
          }
        }
      }
    } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
      // A batch directory replaced by a re-run while listing: read it on the next poll.
      return new TreeMap<>();
    }
    return counts;
  }
}
