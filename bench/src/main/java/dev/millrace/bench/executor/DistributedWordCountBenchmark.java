package dev.millrace.bench.executor;

import dev.millrace.bench.WorkDirectories;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.runtime.driver.TestingDriverJvm;
import dev.millrace.runtime.driver.TestingExecutors;
import dev.millrace.runtime.driver.TestingSpec;
import dev.millrace.runtime.driver.TestingWordCountApplication;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The processing time of word count batches of one large file each, with no executor and with two:
 * what showed that executors reading only their map partitions' splits pays. Run on demand with
 * {@code bench/run distributed} (0, 1 and 2 executors, or the counts given as arguments) and read
 * the times it prints. It uses the runtime's test utilities (TestingSpec, TestingDriverJvm,
 * TestingExecutors: the runtime's test-jar), whose driver and executor JVMs run on this JVM's class
 * path.
 */
public final class DistributedWordCountBenchmark {
  private static final int BATCHES = 5;
  private static final int LINES_PER_BATCH = 400_000;
  private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};

  private final Path work;

  private DistributedWordCountBenchmark(Path work) {
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    int[] counts =
        args.length == 0
            ? new int[] {0, 1, 2}
            : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    for (int executorCount : counts) {
      Path work = Files.createTempDirectory("millrace-bench-distributed");
      try {
        new DistributedWordCountBenchmark(work).processingTimePerBatch(executorCount);
      } finally {
        WorkDirectories.delete(work);
      }
    }
    System.exit(0);
  }

  private void processingTimePerBatch(int executorCount) throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec =
        new TestingSpec("words", work.resolve("checkpoint").toUri().toString())
            .mainClass(TestingWordCountApplication.class.getName())
            .args(in.toString(), out.toString())
            .executors(2)
            .batchInterval("2s")
            .checkpointInterval("2s")
            .writeTo(work.resolve("words.yaml"));
    try (TestingExecutors executors = new TestingExecutors(work, spec, "words");
        TestingDriverJvm driver =
            TestingDriverJvm.startAcceptingExecutors(
                System.getProperty("java.class.path"), work, spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executorAddress = driver.awaitAddress(work.resolve("executor-address"));
      for (int e = 1; e <= executorCount; e++) {
        executors.start(executorAddress, "exec-" + e);
      }
      driver.awaitStatus(address, r -> r.executorsReady() == executorCount);
      List<Long> millis = new ArrayList<>();
      long lastBatch = 0;
      long inputBytes = 0;
      for (int b = 0; b < BATCHES; b++) {
        inputBytes += writeFile(in, b);
        long after = lastBatch;
        DriverStatusReport done =
            driver.awaitStatus(
                address,
                r ->
                    r.lastCompletedBatchTimeMs() != null
                        && r.lastCompletedBatchTimeMs() > after
                        && r.recordsLastBatch() == LINES_PER_BATCH);
        lastBatch = done.lastCompletedBatchTimeMs();
        millis.add(done.processingDelayMs());
      }
      System.out.printf(
          "BENCHMARK %d executors: processing ms per batch of %d lines: %s%n",
          executorCount, LINES_PER_BATCH, millis);
      System.out.printf(
          "BENCHMARK driver read %d bytes (rchar) for %d bytes of input%n",
          bytesRead(driver.pid()), inputBytes);
      for (long pid : executors.pids()) {
        System.out.printf(
            "BENCHMARK executor %d read %d bytes (rchar) for %d bytes of input%n",
            pid, bytesRead(pid), inputBytes);
      }
      driver.terminate(60_000);
    }
  }

  /** The bytes process {@code pid} has read through system calls so far (Linux), or -1. */
  private static long bytesRead(long pid) throws IOException {
    Path io = Path.of("/proc", Long.toString(pid), "io");
    if (!Files.isReadable(io)) {
      return -1;
    }
    for (String line : Files.readAllLines(io)) {
      if (line.startsWith("rchar:")) {
        return Long.parseLong(line.substring("rchar:".length()).trim());
      }
    }
    return -1;
  }

  private static long writeFile(Path in, int batch) throws IOException {
    Path hidden = in.resolve(".f" + batch + ".tmp");
    try (Writer w = Files.newBufferedWriter(hidden)) {
      for (int i = 0; i < LINES_PER_BATCH; i++) {
        for (int k = 0; k <= i % 7; k++) {
          w.write(WORDS[(i * 31 + k * 7 + batch) % WORDS.length]);
          w.write(Integer.toString(i % 13));
          w.write(' ');
        }
        w.write('\n');
      }
    }
    long bytes = Files.size(hidden);
    Files.move(hidden, in.resolve("f" + batch + ".txt"), StandardCopyOption.ATOMIC_MOVE);
    return bytes;
  }
}
