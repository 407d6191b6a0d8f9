package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.ExecutorReport;
import dev.millrace.runtime.metrics.TestingMetricsText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real driver and two real executors, as OS processes on this test's class path, run {@link
 * TestingWordCountApplication}: the executors compute the map side of its shuffle, and the saved
 * counts equal a count made directly from the files written.
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DistributedWordCountProcessTest {
  private static final long TIMEOUT_MS = 60_000;

  // Kept when a test fails, with the processes' logs, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  @Test
  void twoExecutorsRunTheMapTasksOfAWordCountAndTheSavedCountsEqualADirectCount() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec = spec(in, out);
    TestingWordFiles files = new TestingWordFiles(in);
    try (TestingExecutors executors = new TestingExecutors(work, spec, "words");
        TestingDriverJvm driver = startDriver(spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      executors.startServingMetrics(executorAddress, "exec-1");
      executors.start(executorAddress, "exec-2");
      awaitReadyToRead(driver, address, 2);

      for (int i = 0; i < 12; i++) {
        files.write(400);
        Thread.sleep(100);
      }
      awaitCounts(driver, out, files);
      assertEquals(files.counts(), TestingWordCountApplication.savedCounts(out));

      DriverStatusReport status = driver.awaitStatus(address, r -> r.executorsReady() == 2);
      for (ExecutorReport executor : status.executors()) {
        assertTrue(executor.tasksCompleted() > 0, "no map task ran on " + executor);
      }
      // Both processes serve Prometheus metrics: the driver on its status port, exec-1 on its own.
      String driverMetrics = scrape(address);
      assertEquals(
          2,
          TestingMetricsText.value(
              driverMetrics, "millrace_executors_registered", "app=\"words\""));
      TestingMetricsText.assertPromtoolAccepts(driverMetrics);
      String execOneAddress = executors.awaitMetricsAddress("exec-1");
      String executorMetrics = scrape(execOneAddress);
      // Prometheus finds exec-1 through the driver (HTTP service discovery); exec-2, which serves
      // no metrics, is no target.
      String targets = get(address, "/api/v1/scrape-targets");
      assertTrue(
          targets.contains(
              "{\"targets\":[\""
                  + execOneAddress
                  + "\"],\"labels\":{\"__meta_millrace_executor\":\"exec-1\"}}"),
          targets);
      assertFalse(targets.contains("exec-2"), targets);
      assertTrue(
          TestingMetricsText.value(
                  executorMetrics,
                  "millrace_tasks_total",
                  "executor=\"exec-1\"",
                  "role=\"executor\"",
                  "kind=\"shuffle-map\"",
                  "outcome=\"succeeded\"")
              > 0,
          executorMetrics);
      assertTrue(
          TestingMetricsText.value(executorMetrics, "millrace_shuffle_written_bytes_total") > 0,
          executorMetrics);
      TestingMetricsText.assertPromtoolAccepts(executorMetrics);
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  private static String scrape(String hostAndPort) throws Exception {
    return get(hostAndPort, "/metrics");
  }

  private static String get(String hostAndPort, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + hostAndPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  @Test
  void whenAnExecutorIsKilledWhileBatchesRunItsTasksMoveAndTheCountsStayExact() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec = spec(in, out);
    TestingWordFiles files = new TestingWordFiles(in);
    try (TestingExecutors executors = new TestingExecutors(work, spec, "words");
        TestingDriverJvm driver = startDriver(spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      Process doomed = executors.start(executorAddress, "exec-1");
      executors.start(executorAddress, "exec-2");
      awaitReadyToRead(driver, address, 2);

      for (int i = 0; i < 6; i++) {
        files.write(400);
        Thread.sleep(100);
      }
      driver.awaitStatus(address, r -> tasks(r, "exec-1") > 0 && tasks(r, "exec-2") > 0);
      long survivorBefore = tasks(driver.awaitStatus(address, r -> true), "exec-2");
      // Pausing files keep both executors busy with one batch's tasks, so the kill lands mid-task.
      for (int i = 0; i < 4; i++) {
        files.writeMarked(TestingWordCountApplication.PAUSE);
      }
      Thread.sleep(TestingWordCountApplication.PAUSE_MILLIS / 2);
      doomed.destroyForcibly();
      for (int i = 0; i < 6; i++) {
        files.write(400);
        Thread.sleep(100);
      }
      awaitCounts(driver, out, files);
      assertEquals(files.counts(), TestingWordCountApplication.savedCounts(out));
      DriverStatusReport after = driver.awaitStatus(address, r -> r.executorsReady() == 1);
      assertEquals("exec-2", after.executors().get(0).id());
      assertTrue(
          tasks(after, "exec-2") > survivorBefore,
          "the surviving executor ran no task after the kill: " + after);
      assertTrue(driver.isAlive(), driver.log());
      assertTrue(
          driver.log().contains("goes elsewhere: executor exec-1"),
          "no task of the killed executor was moved: " + driver.log());
      String metrics = scrape(address);
      assertEquals(1, TestingMetricsText.value(metrics, "millrace_executors_lost_total"), metrics);
      assertTrue(
          TestingMetricsText.value(
                  metrics, "millrace_task_retries_total", "reason=\"executor_lost\"")
              >= 1,
          metrics);
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  @Test
  void aTaskItsExecutorDoesNotAnswerRunsInTheDriverAfterTheTaskTimeoutAndTheCountsStayExact()
      throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    long taskTimeoutMs = 2_000;
    long hangMs = 6_000;
    Path spec = spec(in, out, taskTimeoutMs + "ms");
    TestingWordFiles files = new TestingWordFiles(in);
    try (TestingExecutors executors = new TestingExecutors(work, spec, "words");
        TestingDriverJvm driver = startDriver(spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      executors.start(
          executorAddress,
          "exec-1",
          Map.of(TestingWordCountApplication.HANG_ENV, String.valueOf(hangMs)));
      awaitReadyToRead(driver, address, 1);
      for (int i = 0; i < 3; i++) {
        files.write(400);
      }
      awaitCounts(driver, out, files);
      long tasksBefore = tasks(driver.awaitStatus(address, r -> true), "exec-1");
      assertTrue(tasksBefore > 0, "no map task ran on the executor");

      long start = System.nanoTime();
      files.writeMarked(TestingWordCountApplication.HANG);
      awaitCounts(driver, out, files);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(files.counts(), TestingWordCountApplication.savedCounts(out));
      assertTrue(
          tookMs < taskTimeoutMs + 3_000,
          "the hung task's batch took " + tookMs + " ms with a task timeout of " + taskTimeoutMs);
      assertTrue(
          driver.log().contains("got no answer from executor exec-1 within 2000 ms"),
          "no task was taken from the hung executor: " + driver.log());

      // The executor answers late; its answer is dropped and it runs later tasks as before.
      Thread.sleep(hangMs);
      for (int i = 0; i < 3; i++) {
        files.write(400);
      }
      awaitCounts(driver, out, files);
      assertEquals(files.counts(), TestingWordCountApplication.savedCounts(out));
      DriverStatusReport after = driver.awaitStatus(address, r -> r.executorsReady() == 1);
      assertTrue(tasks(after, "exec-1") > tasksBefore, "the executor ran no task after: " + after);
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  /**
   * Waits for {@code executors} executors and a first batch: executors register before the file
   * stream starts, and it ignores the files already there.
   */
  private static void awaitReadyToRead(TestingDriverJvm driver, String address, int executors)
      throws InterruptedException {
    driver.awaitStatus(address, r -> r.executorsReady() == executors && r.batchesCompleted() >= 1);
  }

  private static long tasks(DriverStatusReport report, String executorId) {
    return report.executors().stream()
        .filter(e -> e.id().equals(executorId))
        .mapToLong(ExecutorReport::tasksCompleted)
        .sum();
  }

  @Test
  void anExecutorStartedFromAnotherSpecOfTheApplicationIsRefusedForGoodAndExits() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec = spec(in, out);
    // The same application with other arguments: an older build left running across an upgrade.
    Path older =
        new TestingSpec("words", work.resolve("checkpoint").toUri().toString())
            .mainClass(TestingWordCountApplication.class.getName())
            .args(in.toString(), work.resolve("old-out").toString())
            .executors(2)
            .writeTo(work.resolve("older.yaml"));
    try (TestingExecutors stales = new TestingExecutors(work, older, "words");
        TestingExecutors executors = new TestingExecutors(work, spec, "words");
        TestingDriverJvm driver = startDriver(spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      Process stale = stales.start(executorAddress, "exec-1");
      executors.start(executorAddress, "exec-2");

      assertTrue(stale.waitFor(60, TimeUnit.SECONDS), "the stale executor did not exit");
      assertEquals(1, stale.exitValue());
      String log = Files.readString(work.resolve("exec-1.log"));
      assertTrue(log.contains("refused executor exec-1 for good"), log);
      assertTrue(log.contains("must be restarted with the current spec"), log);
      DriverStatusReport status = driver.awaitStatus(address, r -> r.executorsReady() == 1);
      assertEquals("exec-2", status.executors().get(0).id());
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  private Path spec(Path in, Path out) {
    return spec(in, out, "60s");
  }

  private Path spec(Path in, Path out, String taskTimeout) {
    return new TestingSpec("words", work.resolve("checkpoint").toUri().toString())
        .mainClass(TestingWordCountApplication.class.getName())
        .args(in.toString(), out.toString())
        .executors(2)
        .conf("millrace.executor.heartbeat-interval", "200ms")
        .conf("millrace.executor.heartbeat-timeout", "2s")
        .conf("millrace.executor.task-timeout", taskTimeout)
        .writeTo(work.resolve("words.yaml"));
  }

  private TestingDriverJvm startDriver(Path spec) {
    return TestingDriverJvm.startAcceptingExecutors(
        System.getProperty("java.class.path"), work, spec);
  }

  private static void awaitCounts(TestingDriverJvm driver, Path out, TestingWordFiles files)
      throws Exception {
    long total = files.words();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (TestingWordCountApplication.savedCounts(out).values().stream()
            .mapToLong(Long::longValue)
            .sum()
        < total) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        fail(
            "the driver saved "
                + TestingWordCountApplication.savedCounts(out)
                + ", not "
                + files.counts()
                + "\n"
                + driver.log());
      }
      Thread.sleep(50);
    }
  }
}
