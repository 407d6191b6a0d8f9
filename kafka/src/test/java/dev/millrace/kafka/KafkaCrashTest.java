package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.streaming.TestingDriverProcess;
import dev.millrace.streaming.TestingDriverProcess.BatchDone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka → word count → Kafka with the driver killed for real: a {@link TestingKafkaCrashDriver}
 * runs as an operating-system process on the system clock while a feeder writes lines of words to a
 * three-partition topic of the broker in this JVM (some in transactions, a third of those aborted),
 * is killed with SIGKILL at random moments and started again on the same checkpoint, twenty times;
 * then the feeder stops and a last driver runs until every committed line is counted and stops
 * gracefully. Read as {@code read_committed} consumers read them, its outputs must equal a
 * failure-free run's: the per-batch counts add up to the count of every committed word (nothing
 * lost, nothing twice), no word of an aborted transaction appears, and the last running total of
 * each word is its count.
 *
 * <p>Most kills come 100 to 900 ms after the restarted driver completed the first batch it planned
 * itself (after the recovery's replays of logged batches and of the downtime's batch times), half
 * of them aimed at the first 40 ms after a batch time, when a batch is planned, read, written in
 * its Kafka transactions and (every third) checkpointed; a quarter instead come before that batch,
 * while the driver starts or recovers.
 *
 * <p>Random choices come from a seed printed at the start; {@code
 * -Dmillrace.kafka.crash.seed=<seed>} repeats them (the timing of the processes differs). A failed
 * run keeps its directory with the drivers' logs and names it in its failure.
 */
@Tag("process")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaCrashTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  private static final long INTERVAL_MS = 200;
  private static final int CHECKPOINT_BATCHES = 3;
  private static final int KILLS = 20;
  private static final int EARLY_KILLS = 5;
  private static final int BUSY_WINDOW_MS = 40;
  private static final long FEED_PERIOD_MS = 40;
  private static final int INPUT_PARTITIONS = 3;
  private static final long FIRST_BATCH_TIMEOUT_MS = 60_000;
  private static final long CATCH_UP_TIMEOUT_MS = 60_000;
  private static final long STOP_TIMEOUT_MS = 30_000;
  // "batch <time> completed in <n> ms", for the post-mortem of a driver falling behind.
  private static final List<String> DRIVER_JVM_OPTIONS =
      List.of("-Dmillrace.log.levels=dev.millrace.runtime.scheduler=debug,org.apache.kafka=warn");

  // Kept when the test fails, with the drivers' logs, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  @Test
  void wordCountDriverKilledRepeatedlyWritesEveryCommittedWordExactlyOnceAndItsTotal()
      throws Exception {
    long seed = Long.getLong("millrace.kafka.crash.seed", System.nanoTime());
    System.out.printf("KafkaCrashTest: seed %d (-Dmillrace.kafka.crash.seed=%d)%n", seed, seed);
    Scenario scenario = new Scenario(work, new Random(seed));
    try {
      scenario.run();
    } catch (Throwable t) {
      throw new AssertionError(
          "seed " + seed + " failed; the checkpoint and the drivers' logs are kept in " + work, t);
    }
    scenario.report(seed);
  }

  /** One run: the kills, the final catch-up, and the comparison. */
  private static final class Scenario {
    final Path checkpoint;
    final Path logs;
    final Random random;
    final List<String> args;
    final List<Long> recoveryMillis = new ArrayList<>();
    int earlyKills;
    int drivers;
    long startedNanos;
    long endedNanos;
    TestingKafkaLineFeeder feeder;

    Scenario(Path work, Random random) throws Exception {
      this.checkpoint = work.resolve("checkpoint");
      this.logs = Files.createDirectories(work.resolve("logs"));
      this.random = random;
      KAFKA.createTopic("crash-lines", INPUT_PARTITIONS);
      KAFKA.createTopic("crash-counts", 2);
      KAFKA.createTopic("crash-totals", 2);
      this.args =
          List.of(
              KAFKA.bootstrapServers(),
              "crash-lines",
              "crash-counts",
              "crash-totals",
              checkpoint.toString(),
              String.valueOf(INTERVAL_MS),
              String.valueOf(CHECKPOINT_BATCHES));
    }

    void run() throws Exception {
      startedNanos = System.nanoTime();
      // Which kills after the first come before the restarted driver's first batch.
      List<Boolean> early = new ArrayList<>(Collections.nCopies(KILLS - 1, false));
      for (int k = 0; k < EARLY_KILLS; k++) {
        early.set(k, true);
      }
      Collections.shuffle(early, random);
      early.add(0, false);

      TestingDriverProcess driver = startDriver();
      TestingKafkaLineFeeder lines =
          new TestingKafkaLineFeeder(
              KAFKA.bootstrapServers(),
              "crash-lines",
              INPUT_PARTITIONS,
              random.nextLong(),
              FEED_PERIOD_MS);
      feeder = lines;
      try (lines) {
        BatchDone first = driver.nextBatchDone(FIRST_BATCH_TIMEOUT_MS);
        long startupNanos = first.arrivedNanos() - driver.startedNanos();
        // The first driver has written its first checkpoint when it completes a batch: a kill
        // before it would start the next driver afresh, reading the topic from the earliest
        // offset again.
        feeder.start();
        boolean completedABatch = true;
        long unmeasuredKill = -1;
        for (int k = 0; k < KILLS; k++) {
          if (early.get(k)) {
            sleepUntil(driver.startedNanos() + (long) (random.nextDouble() * startupNanos));
            earlyKills++;
          } else {
            if (!completedABatch) {
              first = driver.firstOwnBatchDone(FIRST_BATCH_TIMEOUT_MS);
              startupNanos = first.arrivedNanos() - driver.startedNanos();
              recordRecovery(unmeasuredKill, first);
            }
            Thread.sleep(100 + random.nextInt(800));
            if (random.nextBoolean()) {
              aimAtTheBusyMomentsOfABatch();
            }
          }
          unmeasuredKill = driver.kill();
          driver = startDriver();
          completedABatch = false;
        }
        recordRecovery(unmeasuredKill, driver.firstOwnBatchDone(FIRST_BATCH_TIMEOUT_MS));

        feeder.stop();
        try (TestingOutputTopic counts =
            new TestingOutputTopic(KAFKA.bootstrapServers(), "crash-counts")) {
          awaitEveryCommittedWordCounted(driver, counts);
        }
        int exit = driver.terminate(STOP_TIMEOUT_MS);
        assertEquals(0, exit, "the last driver's exit code after SIGTERM");
        endedNanos = System.nanoTime();
        check();
      } finally {
        driver.close();
      }
    }

    /**
     * Waits until a random moment in the first {@link #BUSY_WINDOW_MS} after the next batch time:
     * batch times are on the system clock this process shares with the driver, and most of an
     * interval is idle, so uniform kills would seldom land inside a batch's transactions.
     */
    private void aimAtTheBusyMomentsOfABatch() throws InterruptedException {
      long now = System.currentTimeMillis();
      long nextBatch = Math.floorDiv(now, INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS;
      Thread.sleep(nextBatch - now + random.nextInt(BUSY_WINDOW_MS));
    }

    private TestingDriverProcess startDriver() {
      return TestingDriverProcess.start(
          logs.resolve("driver-" + drivers++ + ".log"),
          TestingKafkaCrashDriver.class,
          DRIVER_JVM_OPTIONS,
          args);
    }

    private void recordRecovery(long killNanos, BatchDone firstAfterRestart) {
      if (killNanos >= 0) {
        recoveryMillis.add(
            TimeUnit.NANOSECONDS.toMillis(firstAfterRestart.arrivedNanos() - killNanos));
      }
    }

    /**
     * Waits, batch by batch, until the committed per-batch counts add up to at least as many words
     * as the feeder committed; the comparison word by word comes after the graceful stop.
     */
    private void awaitEveryCommittedWordCounted(
        TestingDriverProcess driver, TestingOutputTopic counts) throws InterruptedException {
      long written = feeder.committedCounts().values().stream().mapToLong(n -> n).sum();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_TIMEOUT_MS);
      long counted = 0;
      while (System.nanoTime() < deadline) {
        driver.nextBatchDone(CATCH_UP_TIMEOUT_MS);
        counted = counts.pollAll().sums().values().stream().mapToLong(n -> n).sum();
        if (counted >= written) {
          return;
        }
      }
      fail(
          "the counts add up to "
              + counted
              + " of "
              + written
              + " committed words "
              + CATCH_UP_TIMEOUT_MS
              + " ms after the feeder stopped");
    }

    private void check() {
      TestingOutputTopic.assertExactlyTheCommittedWords(
          KAFKA.bootstrapServers(), feeder, "crash-counts", "crash-totals");
    }

    void report(long seed) {
      List<Long> sorted = recoveryMillis.stream().sorted().toList();
      System.out.printf(
          "KafkaCrashTest: seed %d, %d kills (%d aimed before the restarted driver's first own batch),"
              + " %d drivers, %d committed lines, %d transactions (%d aborted), %.1f s%n",
          seed,
          KILLS,
          earlyKills,
          drivers,
          feeder.lines(),
          feeder.transactions(),
          feeder.aborts(),
          (endedNanos - startedNanos) / 1e9);
      System.out.printf(
          "  recovery (kill to the first own batch completed after restart), %d measured: min %d ms,"
              + " median %d ms, max %d ms%n",
          sorted.size(),
          sorted.get(0),
          sorted.get(sorted.size() / 2),
          sorted.get(sorted.size() - 1));
    }
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }
}
