package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.ExecutorReport;
import dev.millrace.runtime.executor.TestingExecutorJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real driver and three real executors, as OS processes on this test's class path, run {@link
 * TestingStatefulWordsApplication}: a word count, a running count and an incremental windowed count
 * whose saved files, read alone, are exactly what one process computes from the files written, also
 * when an executor or the driver is killed mid-stream.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DistributedStatefulWordsProcessTest {
  private static final long TIMEOUT_MS = 90_000;
  private static final long INTERVAL_MS = 500;
  private static final Pattern OUTPUT = Pattern.compile("(counts|totals|windows)-(\\d+)\\.txt");
  private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};

  // Kept when a test fails, with the processes' logs, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  private final List<Process> executors = new ArrayList<>();
  private final TreeMap<String, Long> expected = new TreeMap<>();
  private int filesWritten;

  @AfterEach
  void killExecutors() throws InterruptedException {
    for (Process executor : executors) {
      executor.destroyForcibly();
      executor.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void threeExecutorsRunAWordCountARunningCountAndAWindowedCountExactly() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec = spec(in, out);
    try (TestingDriverJvm driver = startDriver(spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      for (String id : List.of("exec-1", "exec-2", "exec-3")) {
        startExecutor(spec, executorAddress, id);
      }
      awaitReadyToRead(driver, address, 3);

      writeFiles(in, 15);
      awaitEverythingCounted(driver, out);

      DriverStatusReport status = driver.awaitStatus(address, r -> r.executorsReady() == 3);
      for (ExecutorReport executor : status.executors()) {
        assertTrue(executor.tasksCompleted() > 0, "no map task ran on " + executor);
      }
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
    assertExactlyWhatOneProcessComputes(out);
  }

  @Test
  void aKilledExecutorsTasksMoveAReplacementJoinsAndAllThreeOutputsStayExact() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec = spec(in, out);
    try (TestingDriverJvm driver = startDriver(spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      Process doomed = startExecutor(spec, executorAddress, "exec-1");
      startExecutor(spec, executorAddress, "exec-2");
      startExecutor(spec, executorAddress, "exec-3");
      DriverStatusReport first = awaitReadyToRead(driver, address, 3);

      writeFiles(in, 6);
      driver.awaitStatus(address, r -> tasks(r, "exec-1") > 0);
      // Pausing files keep every executor's cores busy with one batch's tasks, so the kill lands
      // mid-task.
      for (int i = 0; i < 6; i++) {
        writeMarkedFile(in, TestingWordCountApplication.PAUSE);
      }
      Thread.sleep(TestingWordCountApplication.PAUSE_MILLIS / 2);
      doomed.destroyForcibly();
      driver.awaitStatus(address, r -> r.executorsReady() == 2 && tasks(r, "exec-1") == 0);
      startExecutor(spec, executorAddress, "exec-4");
      driver.awaitStatus(address, r -> r.executorsReady() == 3);

      writeFiles(in, 6);
      awaitEverythingCounted(driver, out);
      DriverStatusReport after = driver.awaitStatus(address, r -> tasks(r, "exec-4") > 0);
      assertEquals(
          List.of("exec-2", "exec-3", "exec-4"),
          after.executors().stream().map(ExecutorReport::id).sorted().toList(),
          after.toString());
      assertEquals(first.startTimeMs(), after.startTimeMs(), "the driver restarted: " + after);
      assertEquals(1, after.attempt(), after.toString());
      assertTrue(
          driver.log().contains("goes elsewhere: executor exec-1"),
          "no task of the killed executor was moved: " + driver.log());
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
    assertExactlyWhatOneProcessComputes(out);
  }

  @Test
  void afterADriverKillTheExecutorsReRegisterWithTheNextAttemptAndNoOutputIsLostOrDuplicated()
      throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec = spec(in, out);
    String executorAddress;
    try (TestingDriverJvm driver = startDriver(spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      for (String id : List.of("exec-1", "exec-2", "exec-3")) {
        startExecutor(spec, executorAddress, id);
      }
      awaitReadyToRead(driver, address, 3);
      writeFiles(in, 6);
      driver.awaitStatus(address, r -> r.lastCheckpointTimeMs() != null && tasksOf(r) > 0);
      writeFiles(in, 2);
      // A pausing file holds up the batch that takes it, so the kill lands while a batch runs.
      writeMarkedFile(in, TestingWordCountApplication.PAUSE);
      Thread.sleep(TestingWordCountApplication.PAUSE_MILLIS / 2);

      driver.kill();
    }
    writeFiles(in, 2);
    Path secondAttempt = Files.createDirectories(work.resolve("attempt-2"));
    int executorPort =
        Integer.parseInt(executorAddress.substring(executorAddress.lastIndexOf(':') + 1));
    try (TestingDriverJvm driver =
        TestingDriverJvm.startAcceptingExecutors(
            System.getProperty("java.class.path"), secondAttempt, spec, 2, executorPort)) {
      String address = driver.awaitAddress(secondAttempt.resolve("address"));
      DriverStatusReport reRegistered =
          driver.awaitStatus(
              address,
              r -> r.attempt() == 2 && r.executorsReady() == 3 && r.batchesCompleted() >= 1);
      assertEquals(
          executors.stream().map(Process::pid).sorted().toList(),
          reRegistered.executors().stream().map(ExecutorReport::pid).sorted().toList(),
          "the executors outlived the driver and were not replaced");

      writeFiles(in, 6);
      awaitEverythingCounted(driver, out);
      DriverStatusReport after =
          driver.awaitStatus(
              address, r -> r.executors().stream().allMatch(e -> e.tasksCompleted() > 0));
      assertEquals(3, after.executorsReady(), after.toString());
      assertTrue(
          driver.log().contains("recovered from checkpoint generation"),
          "attempt 2 did not go on from attempt 1's checkpoint: " + driver.log());
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
    assertExactlyWhatOneProcessComputes(out);
  }

  /**
   * Waits for {@code executors} executors and a first batch: executors register before the file
   * stream starts, and it ignores the files already there.
   */
  private static DriverStatusReport awaitReadyToRead(
      TestingDriverJvm driver, String address, int executors) throws InterruptedException {
    return driver.awaitStatus(
        address, r -> r.executorsReady() == executors && r.batchesCompleted() >= 1);
  }

  /**
   * Waits until the saved files hold every word written: the batches' counts add up to them, the
   * newest running totals equal them, and the newest window, later than every batch that counted
   * words, is empty again.
   */
  private void awaitEverythingCounted(TestingDriverJvm driver, Path out) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    SavedOutput saved = SavedOutput.read(out);
    while (!saved.holdsEverything(expected)) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        fail("the driver saved " + saved + ", not all of " + expected + "\n" + driver.log());
      }
      Thread.sleep(50);
      saved = SavedOutput.read(out);
    }
  }

  /**
   * Asserts that the saved files are those of one process reading every file written: (a) the
   * batches' counts add up to a direct count, (b) each running total is the sum of the counts of
   * its batch and those before, (c) each window is the sum of the counts of its batch and the two
   * before, without zeros, and (d) every batch time from the first to the last has one complete
   * output of each kind, and nothing else is left in the directory.
   */
  private void assertExactlyWhatOneProcessComputes(Path out) throws IOException {
    try (Stream<Path> entries = Files.list(out)) {
      for (Path entry : entries.toList()) {
        assertTrue(
            OUTPUT.matcher(entry.getFileName().toString()).matches()
                && Files.exists(entry.resolve("_SUCCESS")),
            "(d) not a complete output: " + entry);
      }
    }
    SavedOutput saved = SavedOutput.read(out);
    assertEquals(expected, sum(saved.counts().values()), "(a) the batches' counts");

    List<Long> times = new ArrayList<>(saved.counts().keySet());
    assertTrue(times.size() > 1, "no batches saved: " + saved);
    for (int i = 1; i < times.size(); i++) {
      assertEquals(
          INTERVAL_MS,
          times.get(i) - times.get(i - 1),
          "(d) batches missing after " + times.get(i - 1));
    }
    assertEquals(saved.counts().keySet(), saved.totals().keySet(), "(d) batches with totals");
    assertEquals(saved.counts().keySet(), saved.windows().keySet(), "(d) batches with windows");

    for (long time : times) {
      assertEquals(
          sum(saved.counts().headMap(time, true).values()),
          saved.totals().get(time),
          "(b) the running totals of batch " + time);
      long windowLength = TestingStatefulWordsApplication.WINDOW_BATCHES * INTERVAL_MS;
      assertEquals(
          sum(saved.counts().subMap(time - windowLength, false, time, true).values()),
          saved.windows().get(time),
          "(c) the window of batch " + time);
    }
  }

  private static TreeMap<String, Long> sum(Iterable<TreeMap<String, Long>> counts) {
    TreeMap<String, Long> sum = new TreeMap<>();
    for (Map<String, Long> batch : counts) {
      batch.forEach((word, count) -> sum.merge(word, count, Long::sum));
    }
    sum.values().removeIf(count -> count == 0);
    return sum;
  }

  /**
   * The complete outputs in an output directory of {@link TestingStatefulWordsApplication}: each
   * kind's counts by batch time.
   */
  private record SavedOutput(
      TreeMap<Long, TreeMap<String, Long>> counts,
      TreeMap<Long, TreeMap<String, Long>> totals,
      TreeMap<Long, TreeMap<String, Long>> windows) {

    static SavedOutput read(Path out) throws IOException {
      SavedOutput saved = new SavedOutput(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
      try (Stream<Path> dirs = Files.list(out)) {
        for (Path dir : dirs.toList()) {
          Matcher m = OUTPUT.matcher(dir.getFileName().toString());
          if (!m.matches() || !Files.exists(dir.resolve("_SUCCESS"))) {
            continue;
          }
          TreeMap<Long, TreeMap<String, Long>> kind =
              switch (m.group(1)) {
                case TestingStatefulWordsApplication.COUNTS -> saved.counts;
                case TestingStatefulWordsApplication.TOTALS -> saved.totals;
                default -> saved.windows;
              };
          kind.put(Long.parseLong(m.group(2)), readCounts(dir));
        }
      }
      return saved;
    }

    private static TreeMap<String, Long> readCounts(Path dir) throws IOException {
      TreeMap<String, Long> counts = new TreeMap<>();
      try (Stream<Path> parts = Files.list(dir)) {
        for (Path part :
            parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
          for (String line : Files.readAllLines(part)) {
            String[] wordAndCount = line.split(" ");
            Long earlier = counts.put(wordAndCount[0], Long.parseLong(wordAndCount[1]));
            if (earlier != null) {
              fail(dir + " holds " + wordAndCount[0] + " twice");
            }
          }
        }
      }
      return counts;
    }

    /**
     * Whether the counts add up to {@code expected}, the newest totals equal it, and the newest
     * window comes a window after the newest batch with words and is empty.
     */
    boolean holdsEverything(TreeMap<String, Long> expected) {
      if (!expected.equals(sum(counts.values())) || totals.isEmpty() || windows.isEmpty()) {
        return false;
      }
      long lastWords =
          counts.descendingMap().entrySet().stream()
              .filter(e -> !e.getValue().isEmpty())
              .mapToLong(Map.Entry::getKey)
              .findFirst()
              .orElse(0);
      long windowLength = TestingStatefulWordsApplication.WINDOW_BATCHES * INTERVAL_MS;
      return expected.equals(totals.lastEntry().getValue())
          && windows.lastKey() >= lastWords + windowLength
          && windows.lastEntry().getValue().isEmpty();
    }
  }

  private static long tasks(DriverStatusReport report, String executorId) {
    return report.executors().stream()
        .filter(e -> e.id().equals(executorId))
        .mapToLong(ExecutorReport::tasksCompleted)
        .sum();
  }

  private static long tasksOf(DriverStatusReport report) {
    return report.executors().stream().mapToLong(ExecutorReport::tasksCompleted).sum();
  }

  private Path spec(Path in, Path out) {
    return new TestingSpec("words", work.resolve("checkpoint").toUri().toString())
        .mainClass(TestingStatefulWordsApplication.class.getName())
        .args(in.toString(), out.toString())
        .batchInterval(INTERVAL_MS + "ms")
        .checkpointInterval(3 * INTERVAL_MS + "ms")
        .executors(3)
        .conf("millrace.executor.heartbeat-interval", "200ms")
        .conf("millrace.executor.heartbeat-timeout", "2s")
        .conf("millrace.executor.task-timeout", "60s")
        .writeTo(work.resolve("words.yaml"));
  }

  private TestingDriverJvm startDriver(Path spec) {
    return TestingDriverJvm.startAcceptingExecutors(
        System.getProperty("java.class.path"), work, spec);
  }

  private Process startExecutor(Path spec, String driverAddress, String id) throws IOException {
    Process executor =
        TestingExecutorJvm.start(
            work.resolve(id + ".log"),
            "--driver",
            driverAddress,
            "--app",
            "words",
            "--spec",
            spec.toString(),
            "--id",
            id,
            "--cores",
            "2");
    executors.add(executor);
    return executor;
  }

  /** Writes {@code files} files of words, one every 100 ms, so that they spread over batches. */
  private void writeFiles(Path in, int files) throws IOException, InterruptedException {
    for (int i = 0; i < files; i++) {
      writeFile(in, 400);
      Thread.sleep(100);
    }
  }

  /** Writes a file of {@code lines} lines of words and adds its words to {@link #expected}. */
  private void writeFile(Path in, int lines) throws IOException {
    int file = filesWritten++;
    List<String> text = new ArrayList<>(lines);
    for (int i = 0; i < lines; i++) {
      StringBuilder line = new StringBuilder();
      for (int w = 0; w <= (i + file) % 7; w++) {
        String word = WORDS[(i * 31 + w * 7 + file) % WORDS.length] + (i % 13);
        line.append(word).append(' ');
        expected.merge(word, 1L, Long::sum);
      }
      text.add(line.toString());
    }
    moveIntoPlace(in, file, text);
  }

  /** Writes a file whose first line is {@code marker}, then a few words. */
  private void writeMarkedFile(Path in, String marker) throws IOException {
    int file = filesWritten++;
    List<String> text = new ArrayList<>(List.of(marker));
    for (int i = 0; i < 20; i++) {
      String word = WORDS[(i + file) % WORDS.length];
      text.add(word);
      expected.merge(word, 1L, Long::sum);
    }
    moveIntoPlace(in, file, text);
  }

  /** Writes {@code text} under a hidden name and renames it into place, as the stream requires. */
  private static void moveIntoPlace(Path in, int file, List<String> text) throws IOException {
    Path hidden = in.resolve(".f" + file + ".tmp");
    Files.write(hidden, text);
    Files.move(hidden, in.resolve("f" + file + ".txt"), StandardCopyOption.ATOMIC_MOVE);
  }
}
