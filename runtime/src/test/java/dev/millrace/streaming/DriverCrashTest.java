package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.streaming.TestingCrashDriver.Mode;
import dev.millrace.streaming.TestingDriverProcess.BatchDone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver crashes for real: a {@link TestingCrashDriver} runs as an operating-system process on the
 * system clock while files of words keep arriving, is killed with SIGKILL at random moments and
 * started again on the same checkpoint, twelve times, and what it saved must equal what a driver
 * that never failed would have saved: every word counted exactly once over all batches, and running
 * totals equal to the count of all input.
 *
 * <p>A kill usually comes 100 to 900 ms after the restarted driver completed its first batch, so it
 * lands anywhere in the cycle of 200 ms batches and 600 ms checkpoints: listing the input, logging
 * a plan, processing, committing an output, writing a generation, or idle. One kill in four instead
 * comes before the restarted driver's first batch, while it starts or recovers.
 *
 * <p>Two runs have the file stream remove what it has read ({@code cleanSource} delete and
 * archive): no restart may find a file of a batch it replays gone, and once the feeder stops, every
 * file leaves the input directory.
 *
 * <p>Random choices come from a seed printed at the start; {@code -Dmillrace.crash.seed=<seed>}
 * repeats them (the timing of the processes, of course, differs). A failed run keeps its
 * directories and the drivers' logs, and names them in its failure.
 */
@Tag("process")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DriverCrashTest {
  private static final long INTERVAL_MS = 200;
  private static final int CHECKPOINT_BATCHES = 3;
  private static final int KILLS = 12;
  private static final int BUSY_WINDOW_MS = 30;
  private static final long FEED_PERIOD_MS = 40;
  private static final long FIRST_BATCH_TIMEOUT_MS = 30_000;
  private static final long CATCH_UP_TIMEOUT_MS = 30_000;
  private static final long STOP_TIMEOUT_MS = 30_000;
  private static final Pattern LINE = Pattern.compile("\\((.+),(\\d+)\\)");

  // Kept when a test fails, with the drivers' logs, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  @Test
  void wordCountDriverKilledRepeatedlySavesEveryWordExactlyOnce() throws Exception {
    crashRepeatedly(Mode.WORDCOUNT);
  }

  @Test
  void runningCountDriverKilledRepeatedlySavesTheTotalsOfAFailureFreeRun() throws Exception {
    crashRepeatedly(Mode.RUNNING);
  }

  @Test
  void runningCountDriverDeletingItsInputKilledRepeatedlyCountsEveryWordOnceAndDeletesEveryFile()
      throws Exception {
    crashRepeatedly(Mode.RUNNING, "delete");
  }

  @Test
  void wordCountDriverArchivingItsInputKilledRepeatedlyCountsEveryWordOnceAndArchivesEveryFile()
      throws Exception {
    crashRepeatedly(Mode.WORDCOUNT, "archive");
  }

  private void crashRepeatedly(Mode mode) throws Exception {
    crashRepeatedly(mode, "off");
  }

  /**
   * {@code clean}: {@code off}, {@code delete} or {@code archive}, the file stream's cleanSource.
   */
  private void crashRepeatedly(Mode mode, String clean) throws Exception {
    long seed = Long.getLong("millrace.crash.seed", System.nanoTime());
    String name =
        mode.name().toLowerCase(Locale.ROOT) + (clean.equals("off") ? "" : " cleanSource " + clean);
    System.out.printf("DriverCrashTest %s: seed %d (-Dmillrace.crash.seed=%d)%n", name, seed, seed);
    Scenario scenario = new Scenario(work, mode, clean, new Random(seed));
    try {
      scenario.run();
    } catch (Throwable t) {
      throw new AssertionError(
          name + " with seed " + seed + " failed; directories and driver logs kept in " + work, t);
    }
    scenario.report(name, seed);
  }

  /** One run of a mode: the kills, the final catch-up, and the comparison. */
  private static final class Scenario {
    final Path in;
    final Path out;
    final Path checkpoint;
    final Path logs;
    final Path archive;
    final String clean;
    final Mode mode;
    final Random random;
    final List<String> args;
    final List<Long> recoveryMillis = new ArrayList<>();
    final Map<String, Integer> killMoments = new TreeMap<>();
    final Set<String> hiddenSeen = new HashSet<>();
    long startedNanos;
    long endedNanos;
    int drivers;
    int files;

    Scenario(Path work, Mode mode, String clean, Random random) throws IOException {
      this.in = Files.createDirectories(work.resolve("in"));
      this.out = Files.createDirectories(work.resolve("out"));
      this.checkpoint = work.resolve("checkpoint");
      this.logs = Files.createDirectories(work.resolve("logs"));
      this.archive = work.resolve("archive");
      this.clean = clean;
      this.mode = mode;
      this.random = random;
      List<String> arguments =
          new ArrayList<>(
              List.of(
                  in.toString(),
                  out.toString(),
                  checkpoint.toString(),
                  String.valueOf(INTERVAL_MS),
                  String.valueOf(CHECKPOINT_BATCHES),
                  mode.name()));
      if (clean.equals("delete")) {
        arguments.add("delete");
      } else if (clean.equals("archive")) {
        arguments.add("archive:" + archive);
      }
      this.args = List.copyOf(arguments);
    }

    void run() throws Exception {
      startedNanos = System.nanoTime();
      TestingDriverProcess driver = startDriver();
      try (TestingWordFeeder feeder =
          new TestingWordFeeder(in, random.nextLong(), FEED_PERIOD_MS)) {
        BatchDone first = driver.nextBatchDone(FIRST_BATCH_TIMEOUT_MS);
        long startupNanos = first.arrivedNanos() - driver.startedNanos();
        // A first start ignores the files already in the directory, so feeding begins once the
        // first driver has committed its first checkpoint and completed a batch.
        feeder.start();
        boolean completedABatch = true;
        long unmeasuredKill = -1;
        for (int k = 1; k <= KILLS; k++) {
          if (!completedABatch && random.nextInt(4) == 0) {
            sleepUntil(driver.startedNanos() + (long) (random.nextDouble() * startupNanos));
          } else {
            if (!completedABatch) {
              first = driver.nextBatchDone(FIRST_BATCH_TIMEOUT_MS);
              startupNanos = first.arrivedNanos() - driver.startedNanos();
              recordRecovery(unmeasuredKill, first);
            }
            Thread.sleep(100 + random.nextInt(800));
            if (random.nextBoolean()) {
              aimAtTheBusyMomentsOfABatch();
            }
          }
          boolean reachedABatch = completedABatch || driver.hasReportedABatch();
          unmeasuredKill = driver.kill();
          killMoments.merge(killMoment(reachedABatch), 1, Integer::sum);
          driver = startDriver();
          completedABatch = false;
        }
        recordRecovery(unmeasuredKill, driver.nextBatchDone(FIRST_BATCH_TIMEOUT_MS));

        feeder.stop();
        files = feeder.files();
        awaitEveryFileCounted(driver);
        if (!clean.equals("off")) {
          awaitEveryFileRemoved();
        }
        int exit = driver.terminate(STOP_TIMEOUT_MS);
        assertEquals(0, exit, "the last driver's exit code after SIGTERM");
        endedNanos = System.nanoTime();
        check(feeder.counts());
      } finally {
        driver.close();
      }
    }

    /**
     * Waits until a random moment in the first {@link #BUSY_WINDOW_MS} after the next batch time.
     * Batch times are on the system clock this process shares with the driver, and a batch is
     * planned, processed, committed and (every third) checkpointed within about 30 ms of its time;
     * the rest of the interval is idle, so uniform kills would seldom land in the moments that
     * matter.
     */
    private void aimAtTheBusyMomentsOfABatch() throws InterruptedException {
      long now = System.currentTimeMillis();
      long nextBatch = Math.floorDiv(now, INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS;
      Thread.sleep(nextBatch - now + random.nextInt(BUSY_WINDOW_MS));
    }

    private TestingDriverProcess startDriver() {
      return TestingDriverProcess.start(logs.resolve("driver-" + drivers++ + ".log"), args);
    }

    private void recordRecovery(long killNanos, BatchDone firstAfterRestart) {
      if (killNanos >= 0) {
        recoveryMillis.add(
            TimeUnit.NANOSECONDS.toMillis(firstAfterRestart.arrivedNanos() - killNanos));
      }
    }

    /**
     * What the killed driver was doing, as far as its files tell: a hidden name that was not there
     * at the previous kill is a write it did not finish.
     */
    private String killMoment(boolean completedABatch) throws IOException {
      List<String> moments = new ArrayList<>();
      if (!completedABatch) {
        moments.add("starting or recovering");
      }
      if (newHiddenEntries(out)) {
        moments.add("committing an output");
      }
      if (newHiddenEntries(checkpoint.resolve("generations"))) {
        moments.add("writing a checkpoint generation");
      }
      if (newHiddenEntries(checkpoint.resolve("batches"))) {
        moments.add("logging a batch plan");
      }
      if (moments.isEmpty()) {
        moments.add(
            hasPlanNotDone()
                ? "planning or processing a batch"
                : "between batches (listing input, or idle)");
      }
      return String.join(" + ", moments);
    }

    private boolean newHiddenEntries(Path dir) throws IOException {
      boolean found = false;
      if (Files.isDirectory(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          for (Path p : entries.toList()) {
            String n = p.getFileName().toString();
            if (n.startsWith(".") && hiddenSeen.add(dir.getFileName() + "/" + n)) {
              found = true;
            }
          }
        }
      }
      return found;
    }

    private boolean hasPlanNotDone() throws IOException {
      Path batches = checkpoint.resolve("batches");
      try (Stream<Path> entries = Files.list(batches)) {
        Set<String> names =
            entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        return names.stream()
            .filter(n -> n.endsWith(".plan"))
            .anyMatch(n -> !names.contains(n.replace(".plan", ".done")));
      }
    }

    /**
     * Waits, batch by batch, until the marker word of every file written appears in a saved batch.
     */
    private void awaitEveryFileCounted(TestingDriverProcess driver) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_TIMEOUT_MS);
      Set<String> missing = Set.of();
      while (System.nanoTime() < deadline) {
        driver.nextBatchDone(CATCH_UP_TIMEOUT_MS);
        try {
          missing = missingFiles(sum(SavedBatches.read(out, TestingCrashDriver.COUNTS)));
          if (missing.isEmpty()) {
            return;
          }
        } catch (UncheckedIOException e) {
          // A batch directory was being replaced while listed; look again after the next batch.
        }
      }
      fail(
          missing.size()
              + " of "
              + files
              + " files were not counted within "
              + CATCH_UP_TIMEOUT_MS
              + " ms after the last one was written, e.g. "
              + missing.stream().sorted().limit(10).toList());
    }

    /**
     * Waits until the input directory holds no file the feeder wrote (and, archiving, the archive
     * holds each of them): once the feeder stopped, every checkpoint covers more of them, and the
     * stream removes what the oldest one kept covers.
     */
    private void awaitEveryFileRemoved() throws InterruptedException, IOException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_TIMEOUT_MS);
      List<String> left = visibleNames(in);
      while (!left.isEmpty()) {
        if (System.nanoTime() > deadline) {
          fail(
              left.size()
                  + " of "
                  + files
                  + " files are still in the input directory "
                  + CATCH_UP_TIMEOUT_MS
                  + " ms after the last one was counted, e.g. "
                  + left.subList(0, Math.min(10, left.size())));
        }
        Thread.sleep(50);
        left = visibleNames(in);
      }
      if (clean.equals("archive")) {
        List<String> written =
            IntStream.range(0, files).mapToObj(TestingWordFeeder::marker).toList();
        assertEquals(written, visibleNames(archive), "the files in the archive");
      }
    }

    private static List<String> visibleNames(Path dir) throws IOException {
      try (Stream<Path> entries = Files.list(dir)) {
        return entries
            .map(p -> p.getFileName().toString())
            .filter(n -> !n.startsWith("."))
            .sorted()
            .toList();
      }
    }

    private Set<String> missingFiles(Map<String, Long> counted) {
      Set<String> missing = new HashSet<>();
      for (int f = 0; f < files; f++) {
        String marker = TestingWordFeeder.marker(f);
        if (!counted.containsKey(marker)) {
          missing.add(marker);
        }
      }
      return missing;
    }

    private void check(Map<String, Long> written) {
      SavedBatches counts = SavedBatches.read(out, TestingCrashDriver.COUNTS);
      assertEquals(List.of(), leftovers(), "hidden leftovers of unfinished output commits");
      assertEquals(List.of(), counts.incomplete(), "batch directories without _SUCCESS");
      assertEquals(List.of(), missingBatchTimes(counts), "batch times without a saved batch");
      assertExactly(written, counts.batches(), "the per-batch counts summed over all batches");

      if (mode == Mode.RUNNING) {
        SavedBatches totals = SavedBatches.read(out, TestingCrashDriver.TOTALS);
        assertEquals(List.of(), totals.incomplete(), "totals directories without _SUCCESS");
        assertEquals(
            counts.batches().keySet(),
            totals.batches().keySet(),
            "every batch saves both its counts and its totals");
        Map<String, Long> cumulative = new TreeMap<>();
        for (Map.Entry<Long, Map<String, Long>> batch : counts.batches().entrySet()) {
          batch.getValue().forEach((word, n) -> cumulative.merge(word, n, Long::sum));
          long time = batch.getKey();
          assertEquals(
              cumulative,
              new TreeMap<>(totals.batches().get(time)),
              "the running totals of batch " + time + " against the counts of batches up to it");
        }
        assertEquals(
            new TreeMap<>(written),
            new TreeMap<>(totals.batches().lastEntry().getValue()),
            "the running totals of the last batch against a failure-free count of all input");
      }
    }

    private List<String> leftovers() {
      try (Stream<Path> entries = Files.list(out)) {
        return entries
            .map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("."))
            .sorted()
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static List<Long> missingBatchTimes(SavedBatches saved) {
      List<Long> missing = new ArrayList<>();
      long expected = saved.batches().firstKey();
      for (long time : saved.batches().keySet()) {
        for (; expected < time; expected += INTERVAL_MS) {
          missing.add(expected);
        }
        expected = time + INTERVAL_MS;
      }
      return missing;
    }

    /**
     * Fails unless {@code batches} add up to {@code written}, naming each word counted wrong and,
     * for a file's marker, the batches that counted it.
     */
    private void assertExactly(
        Map<String, Long> written, TreeMap<Long, Map<String, Long>> batches, String what) {
      Map<String, Long> saved = sum(batches);
      if (saved.equals(written)) {
        return;
      }
      StringBuilder diff = new StringBuilder(what + " differ from the words written:");
      Set<String> words = new TreeSet<>(written.keySet());
      words.addAll(saved.keySet());
      List<String> wrong =
          words.stream()
              .filter(w -> !saved.getOrDefault(w, 0L).equals(written.getOrDefault(w, 0L)))
              .toList();
      for (String w : wrong.subList(0, Math.min(wrong.size(), 40))) {
        diff.append(
            String.format(
                "%n  %s: written %d, saved %d", w, written.getOrDefault(w, 0L), saved.get(w)));
        if (w.startsWith("file-")) {
          diff.append(", in batches ")
              .append(
                  batches.entrySet().stream()
                      .filter(b -> b.getValue().containsKey(w))
                      .map(Map.Entry::getKey)
                      .toList());
        }
      }
      if (wrong.size() > 40) {
        diff.append(String.format("%n  and %d more", wrong.size() - 40));
      }
      fail(diff.toString());
    }

    void report(String name, long seed) {
      List<Long> sorted = recoveryMillis.stream().sorted().toList();
      System.out.printf(
          "DriverCrashTest %s: seed %d, %d kills, %d drivers, %d files, %.1f s%n",
          name, seed, KILLS, drivers, files, (endedNanos - startedNanos) / 1e9);
      killMoments.forEach((moment, n) -> System.out.printf("  killed %2d x %s%n", n, moment));
      System.out.printf(
          "  recovery (kill to first batch completed after restart), %d measured: min %d ms,"
              + " median %d ms, max %d ms; all %s%n",
          sorted.size(),
          sorted.get(0),
          sorted.get(sorted.size() / 2),
          sorted.get(sorted.size() - 1),
          recoveryMillis);
    }
  }

  /**
   * The batches {@code saveAsTextFiles(prefix, "txt")} saved under one directory: each batch time's
   * records, read from {@code <prefix>-<time>.txt/part-*}, and the batch directories without a
   * {@code _SUCCESS} marker.
   */
  private record SavedBatches(TreeMap<Long, Map<String, Long>> batches, List<String> incomplete) {
    static SavedBatches read(Path dir, String prefix) {
      Pattern name =
          Pattern.compile(Pattern.quote(prefix) + "-(\\d+)\\." + TestingCrashDriver.SUFFIX);
      TreeMap<Long, Map<String, Long>> batches = new TreeMap<>();
      List<String> incomplete = new ArrayList<>();
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path batch : entries.sorted().toList()) {
          Matcher m = name.matcher(batch.getFileName().toString());
          if (!m.matches()) {
            continue;
          }
          if (!Files.exists(batch.resolve("_SUCCESS"))) {
            incomplete.add(batch.getFileName().toString());
            continue;
          }
          batches.put(Long.parseLong(m.group(1)), records(batch));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new SavedBatches(batches, incomplete);
    }

    private static Map<String, Long> records(Path batch) throws IOException {
      Map<String, Long> records = new TreeMap<>();
      try (Stream<Path> parts = Files.list(batch)) {
        for (Path part :
            parts
                .filter(p -> p.getFileName().toString().startsWith("part-"))
                .sorted(Comparator.naturalOrder())
                .toList()) {
          for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
              throw new AssertionError(part + " holds '" + line + "', not a (word,count) pair");
            }
            records.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
          }
        }
      }
      return records;
    }
  }

  private static Map<String, Long> sum(SavedBatches saved) {
    return sum(saved.batches());
  }

  private static Map<String, Long> sum(TreeMap<Long, Map<String, Long>> batches) {
    Map<String, Long> total = new TreeMap<>();
    batches.values().forEach(b -> b.forEach((word, n) -> total.merge(word, n, Long::sum)));
    return total;
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }
}
