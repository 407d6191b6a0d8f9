package dev.millrace.bench;

import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.DStream;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The workloads on Millrace's {@code local[2]} driver. */
public final class MillraceEngine implements Engine {
  private final Queue<List<String>> queue = new ConcurrentLinkedQueue<>();

  @Override
  public void start(
      Workload workload, long intervalMs, Path checkpointDir, BatchCompleted listener) {
    // Backpressure is on by default in Millrace and off in Spark: the rate sweep needs every batch
    // to hold exactly what was fed, so it is off for both.
    StreamingContext ssc =
        StreamingContext.builder()
            .master("local[2]")
            .appName("bench")
            .batchInterval(Durations.milliseconds(intervalMs))
            .conf("millrace.backpressure.enabled", "false")
            .build();
    if (workload.stateful()) {
      ssc.checkpoint(checkpointDir.toString());
    }
    if (Observers.enabled()) {
      Observers.watch(ssc, intervalMs, workload.stateful() ? checkpointDir : null);
    }
    DStream<String> lines = ssc.queueStream(queue, true);
    PairDStream<String, Long> ones =
        lines.flatMap(line -> Arrays.asList(line.split(" "))).mapToPair(word -> Pair.of(word, 1L));
    PairDStream<String, Long> counts =
        switch (workload) {
          case STATELESS -> ones.reduceByKey(Long::sum);
          case RUNNING ->
              ones.reduceByKey(Long::sum)
                  .updateStateByKey(
                      (List<Long> values, Optional<Long> state) -> {
                        long sum = state.orElse(0L);
                        for (long v : values) {
                          sum += v;
                        }
                        return Optional.of(sum);
                      });
          case WINDOWED ->
              ones.reduceByKeyAndWindow(
                  Long::sum,
                  (a, b) -> a - b,
                  Durations.milliseconds(intervalMs * Workload.WINDOW_BATCHES),
                  Durations.milliseconds(intervalMs));
        };
    counts.foreachBatch(batch -> batch.count());
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            listener.completed(
                batch.processingDelay(),
                batch.schedulingDelay(),
                batch.processingEndTime() - batch.batchTime());
          }
        });
    ssc.start();
  }

  @Override
  public void offer(List<String> lines) {
    queue.add(lines);
  }

  @Override
  public int queued() {
    return queue.size();
  }
}
