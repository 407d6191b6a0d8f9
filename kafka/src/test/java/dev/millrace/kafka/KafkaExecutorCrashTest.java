package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.ExecutorReport;
import dev.millrace.runtime.driver.TestingDriverJvm;
import dev.millrace.runtime.driver.TestingExecutors;
import dev.millrace.runtime.driver.TestingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka → word count → Kafka on a driver with two executors, all real processes, with executors and
 * the driver killed by SIGKILL at random moments: {@link TestingKafkaWordCountApplication} runs
 * under {@code millrace driver --spec}; the executors read the Kafka ranges of the shuffle's map
 * tasks and own the running totals' state partitions. A killed executor is replaced by a new one; a
 * killed driver is started again as the next attempt on the same executor port, where the living
 * executors register again. After the feeder stops, a {@code read_committed} reading of the outputs
 * must equal a failure-free run's: every committed word counted once, none of an aborted
 * transaction, and each word's last running total its count.
 *
 * <p>Random choices come from a seed printed at the start; {@code
 * -Dmillrace.kafka.crash.seed=<seed>} repeats them. A failed run keeps its directory with every
 * process's log and names it in its failure.
 */
@Tag("process")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaExecutorCrashTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  private static final String APP = "kafka-executors";
  private static final long INTERVAL_MS = 500;
  private static final int DRIVER_KILLS = 4;
  private static final int EXECUTOR_KILLS = 4;
  private static final int EXECUTORS = 2;
  private static final long FEED_PERIOD_MS = 40;
  private static final int INPUT_PARTITIONS = 3;
  private static final long TIMEOUT_MS = 90_000;

  // Kept when the test fails, with every process's log, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  @Test
  void driverAndExecutorsKilledAtRandomWriteEveryCommittedWordExactlyOnceAndItsTotal()
      throws Exception {
    long seed = Long.getLong("millrace.kafka.crash.seed", System.nanoTime());
    System.out.printf(
        "KafkaExecutorCrashTest: seed %d (-Dmillrace.kafka.crash.seed=%d)%n", seed, seed);
    Scenario scenario = new Scenario(work, new Random(seed));
    try {
      scenario.run();
    } catch (Throwable t) {
      throw new AssertionError(
          "seed " + seed + " failed; the checkpoint and the processes' logs are kept in " + work,
          t);
    }
    scenario.report(seed);
  }

  /** One run: the kills, the final catch-up, and the comparison. */
  private static final class Scenario {
    final Path work;
    final Random random;
    final Path spec;
    final Map<String, Process> executors = new LinkedHashMap<>();
    int attempt;
    int executorsStarted;
    int executorPort;
    long remoteTasks;
    long startedNanos;
    long endedNanos;
    TestingKafkaLineFeeder feeder;

    Scenario(Path work, Random random) {
      this.work = work;
      this.random = random;
      KAFKA.createTopic("lines", INPUT_PARTITIONS);
      KAFKA.createTopic("counts", 2);
      KAFKA.createTopic("totals", 2);
      this.spec =
          new TestingSpec(APP, work.resolve("checkpoint").toUri().toString())
              .mainClass(TestingKafkaWordCountApplication.class.getName())
              .args(KAFKA.bootstrapServers(), "lines", "counts", "totals")
              .batchInterval(INTERVAL_MS + "ms")
              .checkpointInterval(3 * INTERVAL_MS + "ms")
              .executors(EXECUTORS)
              .conf("millrace.executor.heartbeat-interval", "200ms")
              .conf("millrace.executor.heartbeat-timeout", "2s")
              .conf("millrace.executor.task-timeout", "60s")
              .writeTo(work.resolve(APP + ".yaml"));
    }

    void run() throws Exception {
      startedNanos = System.nanoTime();
      List<Boolean> driverKills = new ArrayList<>();
      for (int k = 0; k < DRIVER_KILLS + EXECUTOR_KILLS; k++) {
        driverKills.add(k < DRIVER_KILLS);
      }
      Collections.shuffle(driverKills, random);

      try (TestingExecutors processes = new TestingExecutors(work, spec, APP)) {
        Attempt driver = startDriver();
        String executorAddress = driver.jvm.awaitAddress(driver.dir.resolve("executor-address"));
        executorPort =
            Integer.parseInt(executorAddress.substring(executorAddress.lastIndexOf(':') + 1));
        for (int i = 0; i < EXECUTORS; i++) {
          startExecutor(processes, executorAddress);
        }
        driver.awaitRunning(executors.keySet());
        feeder =
            new TestingKafkaLineFeeder(
                KAFKA.bootstrapServers(),
                "lines",
                INPUT_PARTITIONS,
                random.nextLong(),
                FEED_PERIOD_MS);
        try (TestingKafkaLineFeeder lines = feeder) {
          lines.start();
          for (boolean killDriver : driverKills) {
            Thread.sleep(300 + random.nextInt(1500));
            if (killDriver) {
              driver.jvm.kill();
              driver.jvm.close();
              driver = startDriver();
            } else {
              killAnExecutorAndReplaceIt(processes, executorAddress);
            }
            driver.awaitRunning(executors.keySet());
          }
          lines.stop();
          awaitEveryCommittedWordCounted(driver);
          DriverStatusReport last = driver.status(r -> true);
          remoteTasks = last.executors().stream().mapToLong(ExecutorReport::tasksCompleted).sum();
          assertTrue(remoteTasks > 0, "no task ran on an executor: " + last);
          assertEquals(0, driver.jvm.terminate(TIMEOUT_MS), driver.jvm.log());
        } finally {
          driver.jvm.close();
        }
      }
      endedNanos = System.nanoTime();
      TestingOutputTopic.assertExactlyTheCommittedWords(
          KAFKA.bootstrapServers(), feeder, "counts", "totals");
    }

    private Attempt startDriver() throws Exception {
      attempt++;
      Path dir = Files.createDirectories(work.resolve("attempt-" + attempt));
      TestingDriverJvm jvm =
          TestingDriverJvm.startAcceptingExecutors(
              System.getProperty("java.class.path"), dir, spec, attempt, executorPort);
      return new Attempt(jvm, dir, attempt, jvm.awaitAddress(dir.resolve("address")));
    }

    private void startExecutor(TestingExecutors processes, String executorAddress)
        throws Exception {
      String id = "exec-" + ++executorsStarted;
      executors.put(id, processes.start(executorAddress, id));
    }

    private void killAnExecutorAndReplaceIt(TestingExecutors processes, String executorAddress)
        throws Exception {
      List<String> ids = new ArrayList<>(executors.keySet());
      String doomed = ids.get(random.nextInt(ids.size()));
      Process process = executors.remove(doomed);
      process.destroyForcibly();
      if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        fail("executor " + doomed + " did not end within " + TIMEOUT_MS + " ms of SIGKILL");
      }
      startExecutor(processes, executorAddress);
    }

    /**
     * Waits until the counts add up to at least as many words as the feeder committed; the
     * comparison word by word comes after the graceful stop.
     */
    private void awaitEveryCommittedWordCounted(Attempt driver) throws InterruptedException {
      long written = feeder.committedCounts().values().stream().mapToLong(n -> n).sum();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
      long counted = 0;
      try (TestingOutputTopic counts = new TestingOutputTopic(KAFKA.bootstrapServers(), "counts")) {
        while (System.nanoTime() < deadline && driver.jvm.isAlive()) {
          counted = counts.pollAll().sums().values().stream().mapToLong(n -> n).sum();
          if (counted >= written) {
            return;
          }
        }
      }
      fail(
          "the counts add up to "
              + counted
              + " of "
              + written
              + " committed words "
              + TIMEOUT_MS
              + " ms after the feeder stopped\n"
              + driver.jvm.log());
    }

    void report(long seed) {
      System.out.printf(
          "KafkaExecutorCrashTest: seed %d, %d driver and %d executor kills, %d driver attempts,"
              + " %d executors started, %d tasks on the last attempt's executors, %d committed"
              + " lines, %d transactions (%d aborted), %.1f s%n",
          seed,
          DRIVER_KILLS,
          EXECUTOR_KILLS,
          attempt,
          executorsStarted,
          remoteTasks,
          feeder.lines(),
          feeder.transactions(),
          feeder.aborts(),
          (endedNanos - startedNanos) / 1e9);
    }
  }

  /** One attempt of the driver: its process, its directory of log and address files, its status. */
  private record Attempt(TestingDriverJvm jvm, Path dir, int number, String address) {

    /**
     * Waits until this attempt has completed a batch with exactly the executors {@code ids} ready:
     * a killed one gone (its heartbeats timed out) and a replacement or a survivor of the previous
     * attempt registered.
     */
    void awaitRunning(Iterable<String> ids) throws InterruptedException {
      List<String> expected = new ArrayList<>();
      ids.forEach(expected::add);
      Collections.sort(expected);
      status(
          r ->
              r.attempt() == number
                  && r.batchesCompleted() >= 1
                  && r.executorsReady() == expected.size()
                  && r.executors().stream()
                      .map(ExecutorReport::id)
                      .sorted()
                      .toList()
                      .equals(expected));
    }

    DriverStatusReport status(java.util.function.Predicate<DriverStatusReport> condition)
        throws InterruptedException {
      return jvm.awaitStatus(address, condition);
    }
  }
}
