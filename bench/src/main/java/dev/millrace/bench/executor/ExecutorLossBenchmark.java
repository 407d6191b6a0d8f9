package dev.millrace.bench.executor;

import dev.millrace.bench.WorkDirectories;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.ExecutorReport;
import dev.millrace.runtime.backend.local.TestingSupervisedApp;
import dev.millrace.runtime.driver.TestingDriverJvm;
import dev.millrace.runtime.driver.TestingExecutors;
import dev.millrace.runtime.driver.TestingSpec;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long a SIGKILLed executor holds the application up: a driver with two executors runs a word
 * count with running totals (state owned by the executors); each round SIGKILLs the executor that
 * owns state, writes a batch of input, and measures from the kill to the first batch that completes
 * with that input counted, which includes moving the dead executor's map tasks and rebuilding its
 * state partitions from the checkpoint; the same measure without a kill is printed beside it. A
 * replacement executor is started after each round. Run on demand with {@code bench/run
 * executor-loss} and read what it prints. It uses the runtime's test utilities (the runtime's
 * test-jar), whose driver and executor JVMs run on this JVM's class path.
 */
public final class ExecutorLossBenchmark {
  private static final int ROUNDS = 5;
  private static final int LINES = 50_000;

  private final Path work;

  private ExecutorLossBenchmark(Path work) {
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("millrace-bench-executor-loss");
    try {
      new ExecutorLossBenchmark(work).killToFirstCompletedBatch();
    } finally {
      WorkDirectories.delete(work);
    }
    System.exit(0);
  }

  private void killToFirstCompletedBatch() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec =
        new TestingSpec("loss", work.resolve("checkpoint").toUri().toString())
            .mainClass(TestingSupervisedApp.class.getName())
            .args("count", in.toString(), out.toString())
            .executors(2)
            .batchInterval("500ms")
            .checkpointInterval("2s")
            .writeTo(work.resolve("loss.yaml"));
    try (TestingExecutors executors = new TestingExecutors(work, spec, "loss");
        TestingDriverJvm driver =
            TestingDriverJvm.startAcceptingExecutors(
                System.getProperty("java.class.path"), work, spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      int next = 1;
      for (; next <= 2; next++) {
        executors.start(executorAddress, "exec-" + next);
      }
      driver.awaitStatus(
          address, r -> r.executorsReady() == 2 && r.lastCompletedBatchTimeMs() != null);
      writeFile(in, 0);
      driver.awaitStatus(address, r -> statePartitions(r) == 2);
      List<Long> millis = new ArrayList<>();
      List<Long> baseline = new ArrayList<>();
      int file = 1;
      for (int round = 1; round <= ROUNDS; round++) {
        // The same measure without a kill: writing a file to its batch completing.
        driver.awaitStatus(address, r -> r.recordsLastBatch() == 0);
        long written = System.nanoTime();
        writeFile(in, file++);
        driver.awaitStatus(address, r -> r.recordsLastBatch() == LINES);
        baseline.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written));
        driver.awaitStatus(address, r -> r.recordsLastBatch() == 0);
        DriverStatusReport before = driver.awaitStatus(address, r -> statePartitions(r) == 2);
        ExecutorReport owner =
            before.executors().stream()
                .filter(e -> e.statePartitions() > 0)
                .findFirst()
                .orElseThrow();
        long kill = System.nanoTime();
        ProcessHandle.of(owner.pid()).orElseThrow().destroyForcibly();
        writeFile(in, file++);
        driver.awaitStatus(address, r -> r.recordsLastBatch() == LINES);
        millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - kill));
        executors.start(executorAddress, "exec-" + next++);
        driver.awaitStatus(address, r -> r.executorsReady() == 2);
      }
      System.out.printf(
          "BENCHMARK executor SIGKILL to the first batch completed with new input (500 ms batches,"
              + " %d lines): %s ms; without a kill, file written to its batch completed: %s ms%n",
          LINES, millis, baseline);
      int exit = driver.terminate(60_000);
      if (exit != 0) {
        throw new IllegalStateException("the driver exited with " + exit + ":\n" + driver.log());
      }
    }
  }

  private static int statePartitions(DriverStatusReport report) {
    return report.executors().stream().mapToInt(ExecutorReport::statePartitions).sum();
  }

  private static void writeFile(Path in, int round) throws IOException {
    Path hidden = in.resolve(".f" + round + ".tmp");
    try (Writer w = Files.newBufferedWriter(hidden)) {
      for (int i = 0; i < LINES; i++) {
        w.write("w" + (i % 1000) + " x" + round + "\n");
      }
    }
    Files.move(hidden, in.resolve("f" + round + ".txt"), StandardCopyOption.ATOMIC_MOVE);
  }
}
