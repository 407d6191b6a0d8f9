package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.ExecutorReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real driver and three real executors, as OS processes on this test's class path, run {@link
 * TestingStatefulWordsApplication}: a word count, a running count and an incremental windowed count
 * whose saved files, read alone, are exactly what one process computes from the files written, also
 * when an executor or the driver is killed mid-stream; the batch pages show which executor ran
 * which stage's tasks.
 */
@Tag("process")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DistributedStatefulWordsProcessTest {
  private static final long TIMEOUT_MS = 90_000;
  private static final long INTERVAL_MS = 500;
  private static final Pattern OUTPUT = Pattern.compile("(counts|totals|windows)-(\\d+)\\.txt");

  // Kept when a test fails, with the processes' logs, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  private Path out;
  private Path spec;
  private TestingWordFiles files;

  @BeforeEach
  void writeTheSpec() throws IOException {
    Path in = Files.createDirectories(work.resolve("in"));
    out = Files.createDirectories(work.resolve("out"));
    spec =
        new TestingSpec("words", work.resolve("checkpoint").toUri().toString())
            .mainClass(TestingStatefulWordsApplication.class.getName())
            .args(in.toString(), out.toString())
            .batchInterval(INTERVAL_MS + "ms")
            .checkpointInterval(3 * INTERVAL_MS + "ms")
            .executors(3)
            .conf("millrace.executor.heartbeat-interval", "200ms")
            .conf("millrace.executor.heartbeat-timeout", "2s")
            .conf("millrace.executor.task-timeout", "60s")
            .writeTo(work.resolve("words.yaml"));
    files = new TestingWordFiles(in);
  }

  /** The running count's 2 partitions and the window's 2 (the driver's 2 cores). */
  private static final int STATE_PARTITIONS = 4;

  /** How many state partition files executors wrote into the checkpoint directory. */
  private long statePartFiles() throws IOException {
    Path parts = work.resolve("checkpoint").resolve("state-parts");
    if (!Files.isDirectory(parts)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(parts)) {
      return files.filter(f -> f.getFileName().toString().matches("node-\\d+-part-\\d+")).count();
    }
  }

  private static int statePartitions(DriverStatusReport report) {
    return report.executors().stream().mapToInt(ExecutorReport::statePartitions).sum();
  }

  @Test
  void threeExecutorsRunAWordCountARunningCountAndAWindowedCountExactly() throws Exception {
    try (TestingExecutors executors = new TestingExecutors(work, spec, "words");
        TestingDriverJvm driver = startDriver()) {
      String address = driver.awaitAddress(work.resolve("address"));
      startThreeExecutors(executors, driver.awaitAddress(work.resolve("executor-address")));
      awaitReadyToRead(driver, address);

      writeFiles(15);
      awaitEverythingCounted(driver);

      DriverStatusReport status = driver.awaitStatus(address, r -> r.executorsReady() == 3);
      for (ExecutorReport executor : status.executors()) {
        assertTrue(executor.tasksCompleted() > 0, "no map task ran on " + executor);
        assertTrue(executor.statePartitions() > 0, "no state partition owned by " + executor);
        assertTrue(
            executor.heapUsedBytes() > 0 && executor.heapUsedBytes() <= executor.heapMaxBytes(),
            "the heartbeats tell the heap: " + executor);
      }
      assertEquals(
          STATE_PARTITIONS, statePartitions(status), "the running count's and the window's");
      assertStatePageNamesTheExecutorsOwningEachPartition(address, status);
      assertTrue(
          statePartFiles() > 0,
          "the executors owning state wrote no part of a checkpoint generation themselves");
      assertBatchPagesShowStagesOnExecutors(address);
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
    assertExactlyWhatOneProcessComputes();
  }

  /** {@code /api/v1/state} names, for each partition, the executor the status says owns it. */
  private static void assertStatePageNamesTheExecutorsOwningEachPartition(
      String address, DriverStatusReport status) throws Exception {
    JsonNode state = json(address, "/api/v1/state");
    Map<String, Integer> owned = new HashMap<>();
    for (JsonNode operator : state) {
      operator.get("owners").forEach(o -> owned.merge(o.asText(), 1, Integer::sum));
      // The owners counted the keys of the parts they wrote for the newest checkpoint.
      if (!operator.get("checkpointBatchTime").isNull()) {
        assertTrue(operator.get("keys").asLong() > 0, state.toString());
        assertTrue(operator.get("bytes").asLong() > 0, state.toString());
      }
    }
    for (ExecutorReport executor : status.executors()) {
      assertEquals(
          executor.statePartitions(),
          owned.getOrDefault(executor.id(), 0),
          executor.id() + " in " + state);
    }
  }

  /**
   * The REST API's batches show shuffle and state stages whose tasks ran on the executors, named
   * with their hosts, and the shuffle bytes the executors' map output brought to the driver.
   */
  private void assertBatchPagesShowStagesOnExecutors(String address) throws Exception {
    Set<String> shuffledOn = new TreeSet<>();
    Set<String> updatedOn = new TreeSet<>();
    long shuffleBytes = 0;
    for (JsonNode listed :
        json(address, "/api/v1/batches?status=completed&limit=1000").get("batches")) {
      JsonNode batch = json(address, "/api/v1/batches/" + listed.get("batchTime").asLong());
      shuffleBytes += batch.get("shuffleBytes").asLong();
      for (JsonNode stage : batch.get("stages")) {
        int tasks = 0;
        for (JsonNode ran : stage.get("executors")) {
          tasks += ran.get("tasks").asInt();
          String id = ran.get("id").asText();
          if (id.startsWith("exec-")) {
            assertTrue(!ran.get("host").asText().isEmpty(), "an executor's host: " + stage);
            (stage.get("kind").asText().equals("state") ? updatedOn : shuffledOn).add(id);
          }
        }
        assertEquals(stage.get("tasks").asInt(), tasks, "every task ran somewhere: " + stage);
      }
    }
    assertEquals(Set.of("exec-1", "exec-2", "exec-3"), shuffledOn, "map tasks ran on executors");
    assertTrue(!updatedOn.isEmpty(), "state partitions were updated on executors");
    assertTrue(shuffleBytes > 0, "the executors' map output reached the driver");
  }

  private static JsonNode json(String address, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + address + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void aKilledExecutorsTasksMoveAReplacementJoinsAndAllThreeOutputsStayExact() throws Exception {
    try (TestingExecutors executors = new TestingExecutors(work, spec, "words");
        TestingDriverJvm driver = startDriver()) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      Process doomed = startThreeExecutors(executors, executorAddress);
      DriverStatusReport first = awaitReadyToRead(driver, address);

      writeFiles(6);
      driver.awaitStatus(address, r -> tasks(r, "exec-1") > 0);
      // Pausing files hold up the tasks reading them, so the kill lands while exec-1 runs one.
      for (int i = 0; i < 6; i++) {
        files.writeMarked(TestingWordCountApplication.PAUSE);
      }
      awaitPauseIn(driver, List.of(doomed.pid()));
      doomed.destroyForcibly();
      driver.awaitStatus(address, r -> r.executorsReady() == 2 && tasks(r, "exec-1") == 0);
      executors.start(executorAddress, "exec-4", signallingPauses());
      driver.awaitStatus(address, r -> r.executorsReady() == 3);

      writeFiles(6);
      awaitEverythingCounted(driver);
      DriverStatusReport after =
          driver.awaitStatus(
              address,
              r ->
                  tasks(r, "exec-4") > 0
                      && r.executors().stream().allMatch(e -> e.statePartitions() > 0));
      assertEquals(STATE_PARTITIONS, statePartitions(after), "moved, not lost: " + after);
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
    assertExactlyWhatOneProcessComputes();
  }

  @Test
  void afterADriverKillTheExecutorsReRegisterWithTheNextAttemptAndNoOutputIsLostOrDuplicated()
      throws Exception {
    try (TestingExecutors executors = new TestingExecutors(work, spec, "words")) {
      String executorAddress;
      try (TestingDriverJvm driver = startDriver()) {
        String address = driver.awaitAddress(work.resolve("address"));
        executorAddress = driver.awaitAddress(work.resolve("executor-address"));
        startThreeExecutors(executors, executorAddress);
        awaitReadyToRead(driver, address);
        writeFiles(6);
        driver.awaitStatus(address, r -> r.lastCheckpointTimeMs() != null && tasksOf(r) > 0);
        writeFiles(2);
        // A pausing file holds up the batch that takes it, so the kill lands while a batch runs.
        files.writeMarked(TestingWordCountApplication.PAUSE);
        awaitPauseIn(driver, executors.pids());

        driver.kill();
      }
      writeFiles(2);

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
            executors.pids(),
            reRegistered.executors().stream().map(ExecutorReport::pid).sorted().toList(),
            "the executors outlived the driver and were not replaced");

        writeFiles(6);
        awaitEverythingCounted(driver);
        DriverStatusReport after =
            driver.awaitStatus(
                address, r -> r.executors().stream().allMatch(e -> e.tasksCompleted() > 0));
        assertEquals(3, after.executorsReady(), after.toString());
        assertTrue(
            driver.log().contains("recovered from checkpoint generation"),
            "attempt 2 did not go on from attempt 1's checkpoint: " + driver.log());
        assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
      }
    }
    assertExactlyWhatOneProcessComputes();
  }

  /** Starts exec-1, exec-2 and exec-3 for the driver at {@code executorAddress}; returns exec-1. */
  private Process startThreeExecutors(TestingExecutors executors, String executorAddress)
      throws IOException {
    Process first = executors.start(executorAddress, "exec-1", signallingPauses());
    executors.start(executorAddress, "exec-2", signallingPauses());
    executors.start(executorAddress, "exec-3", signallingPauses());
    return first;
  }

  /** An executor environment in which a pause marks its process in {@link #pauses()}. */
  private Map<String, String> signallingPauses() {
    return Map.of(TestingWordCountApplication.PAUSED_ENV, pauses().toString());
  }

  private Path pauses() {
    return work.resolve("paused");
  }

  /** Waits until one of the processes {@code pids} is in a pause, or has been. */
  private void awaitPauseIn(TestingDriverJvm driver, List<Long> pids) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (pids.stream()
        .noneMatch(pid -> Files.exists(TestingWordCountApplication.pausedMarker(pauses(), pid)))) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        fail("none of the processes " + pids + " ran a pausing task\n" + driver.log());
      }
      Thread.sleep(20);
    }
  }

  /**
   * Waits for three executors and a first batch: executors register before the file stream starts,
   * and it ignores the files already there.
   */
  private static DriverStatusReport awaitReadyToRead(TestingDriverJvm driver, String address)
      throws InterruptedException {
    return driver.awaitStatus(address, r -> r.executorsReady() == 3 && r.batchesCompleted() >= 1);
  }

  /**
   * Waits until the saved files hold every word written: the batches' counts add up to them, the
   * newest running totals equal them, and the newest window, later than every batch that counted
   * words, is empty again.
   */
  private void awaitEverythingCounted(TestingDriverJvm driver) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    SavedOutput saved = SavedOutput.read(out);
    while (!saved.holdsEverything(files.counts())) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        fail("the driver saved " + saved + ", not all of " + files.counts() + "\n" + driver.log());
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
  private void assertExactlyWhatOneProcessComputes() throws IOException {
    try (Stream<Path> entries = Files.list(out)) {
      for (Path entry : entries.toList()) {
        assertTrue(
            OUTPUT.matcher(entry.getFileName().toString()).matches()
                && Files.exists(entry.resolve("_SUCCESS")),
            "(d) not a complete output: " + entry);
      }
    }
    SavedOutput saved = SavedOutput.read(out);
    assertEquals(files.counts(), sum(saved.counts().values()), "(a) the batches' counts");

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
   * kind's counts by batch time. An output being replaced as it is read is left out.
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
          try {
            kind.put(Long.parseLong(m.group(2)), readCounts(dir));
          } catch (NoSuchFileException e) {
            // A batch run again after a driver restart replaces its output; the new one follows.
          }
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

  private TestingDriverJvm startDriver() {
    return TestingDriverJvm.startAcceptingExecutors(
        System.getProperty("java.class.path"), work, spec);
  }

  /** Writes {@code count} files of words, one every 100 ms, so that they spread over batches. */
  private void writeFiles(int count) throws IOException, InterruptedException {
    for (int i = 0; i < count; i++) {
      files.write(400);
      Thread.sleep(100);
    }
  }
}
