package dev.millrace.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A driver to kill: a running word count (updateStateByKey) over a text-file stream, checkpointed
 * to {@code checkpointDir}, started with the engine's get-or-create so a second run recovers from
 * the first's checkpoint. Prints {@code first_batch_epoch_ms,<t>} when its first batch completes,
 * then {@code batches,<n>} after every batch, and runs until killed.
 *
 * <p>Usage: {@code Recovery millrace|spark <checkpointDir> <inputDir> <intervalMs>}
 */
public final class Recovery {
  private Recovery() {}

  public static void main(String[] args) throws Exception {
    String engine = args[0];
    Path checkpointDir = Path.of(args[1]);
    Path inputDir = Path.of(args[2]);
    long intervalMs = Long.parseLong(args[3]);
    PrintStream out = System.out;
    long[] completed = {0};
    Runnable onBatch =
        () -> {
          synchronized (out) {
            if (completed[0]++ == 0) {
              out.println("first_batch_epoch_ms," + System.currentTimeMillis());
            }
            out.println("batches," + completed[0]);
            out.flush();
          }
        };
    if (engine.equals("spark")) {
      Class.forName("dev.millrace.bench.Recovery$Spark")
          .getMethod("run", Path.class, Path.class, long.class, Runnable.class)
          .invoke(null, checkpointDir, inputDir, intervalMs, onBatch);
    } else {
      Millrace.run(checkpointDir, inputDir, intervalMs, onBatch);
    }
    Thread.currentThread().join();
  }

  /** Millrace's side; its classes are never loaded in a Spark child. */
  static final class Millrace {
    private Millrace() {}

    static void run(Path checkpointDir, Path inputDir, long intervalMs, Runnable onBatch) {
      dev.millrace.streaming.StreamingContext ssc =
          dev.millrace.streaming.StreamingContext.getOrCreate(
              checkpointDir.toString(),
              () -> {
                dev.millrace.streaming.StreamingContext c =
                    dev.millrace.streaming.StreamingContext.builder()
                        .master("local[2]")
                        .appName("bench-recovery")
                        .batchInterval(dev.millrace.streaming.Durations.milliseconds(intervalMs))
                        .build();
                c.textFileStream(inputDir.toString())
                    .flatMap(line -> Arrays.asList(line.split(" ")))
                    .mapToPair(word -> dev.millrace.streaming.Pair.of(word, 1L))
                    .updateStateByKey(
                        (List<Long> values, java.util.Optional<Long> state) ->
                            java.util.Optional.of(
                                state.orElse(0L)
                                    + values.stream().mapToLong(Long::longValue).sum()))
                    .foreachBatch(batch -> batch.count());
                return c;
              });
      ssc.addStreamingListener(
          new dev.millrace.streaming.StreamingListener() {
            @Override
            public void onBatchCompleted(dev.millrace.streaming.BatchInfo batch) {
              onBatch.run();
            }
          });
      ssc.start();
    }
  }

  /** Spark's side, reached by reflection; its classes are never loaded in a Millrace child. */
  static final class Spark {
    private Spark() {}

    /** Starts the Spark driver (public for reflection). */
    public static void run(Path checkpointDir, Path inputDir, long intervalMs, Runnable onBatch) {
      String checkpoint = checkpointDir.toString();
      String input = inputDir.toString();
      org.apache.spark.streaming.api.java.JavaStreamingContext ssc =
          org.apache.spark.streaming.api.java.JavaStreamingContext.getOrCreate(
              checkpoint,
              () -> {
                org.apache.spark.SparkConf conf =
                    new org.apache.spark.SparkConf()
                        .setMaster("local[2]")
                        .setAppName("bench-recovery")
                        .set("spark.ui.enabled", "false")
                        .set("spark.driver.host", "127.0.0.1")
                        .set("spark.driver.bindAddress", "127.0.0.1");
                org.apache.spark.streaming.api.java.JavaStreamingContext c =
                    new org.apache.spark.streaming.api.java.JavaStreamingContext(
                        conf, org.apache.spark.streaming.Durations.milliseconds(intervalMs));
                c.checkpoint(checkpoint);
                c.textFileStream(input)
                    .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
                    .mapToPair(word -> new scala.Tuple2<>(word, 1L))
                    .updateStateByKey(
                        (List<Long> values, org.apache.spark.api.java.Optional<Long> state) ->
                            org.apache.spark.api.java.Optional.of(
                                state.orElse(0L)
                                    + values.stream().mapToLong(Long::longValue).sum()))
                    .foreachRDD(rdd -> rdd.count());
                return c;
              });
      ssc.sparkContext().setLogLevel("WARN");
      ssc.addStreamingListener(
          new org.apache.spark.streaming.scheduler.StreamingListener() {
            @Override
            public void onBatchCompleted(
                org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted completed) {
              onBatch.run();
            }
          });
      ssc.start();
    }
  }
}
