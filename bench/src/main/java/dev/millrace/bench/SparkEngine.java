package dev.millrace.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.rdd.RDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import scala.Tuple2;
import scala.collection.mutable.Queue;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** The workloads on Spark Streaming's DStream API, {@code local[2]}, UI off. */
public final class SparkEngine implements Engine {
  private static final ClassTag<String> STRING = ClassTag$.MODULE$.apply(String.class);

  // Spark's queue stream reads a Scala queue under its monitor; the Java API's queueStream copies
  // a java.util.Queue once at creation, so later batches would never be seen.
  private final Queue<RDD<String>> queue = new Queue<>(16);
  private final JavaSparkContext sc;

  /** Creates the SparkContext (part of the measured start). */
  public SparkEngine() {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName("bench")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1");
    sc = new JavaSparkContext(conf);
    sc.setLogLevel("WARN");
  }

  @Override
  public void start(
      Workload workload, long intervalMs, Path checkpointDir, BatchCompleted listener) {
    JavaStreamingContext ssc = new JavaStreamingContext(sc, Durations.milliseconds(intervalMs));
    if (workload.stateful()) {
      // RDD checkpoints only: metadata checkpointing (ssc.checkpoint) refuses a queue stream.
      sc.setCheckpointDir(checkpointDir.toString());
    }
    JavaDStream<String> lines =
        new JavaDStream<>(ssc.ssc().queueStream(queue, true, STRING), STRING);
    JavaPairDStream<String, Long> ones =
        lines
            .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
            .mapToPair(word -> new Tuple2<>(word, 1L));
    org.apache.spark.streaming.Duration checkpointEvery =
        Durations.milliseconds(intervalMs * Workload.CHECKPOINT_BATCHES);
    JavaPairDStream<String, Long> counts =
        switch (workload) {
          case STATELESS -> ones.reduceByKey(Long::sum);
          case RUNNING -> {
            JavaPairDStream<String, Long> state =
                ones.reduceByKey(Long::sum)
                    .updateStateByKey(
                        (List<Long> values, Optional<Long> previous) -> {
                          long sum = previous.orElse(0L);
                          for (long v : values) {
                            sum += v;
                          }
                          return Optional.of(sum);
                        });
            state.checkpoint(checkpointEvery);
            yield state;
          }
          case WINDOWED -> {
            // The filter drops keys whose count fell to zero, as Millrace's window does.
            JavaPairDStream<String, Long> window =
                ones.reduceByKeyAndWindow(
                    Long::sum,
                    (a, b) -> a - b,
                    Durations.milliseconds(intervalMs * Workload.WINDOW_BATCHES),
                    Durations.milliseconds(intervalMs),
                    sc.defaultParallelism(),
                    pair -> pair._2() != 0L);
            window.checkpoint(checkpointEvery);
            yield window;
          }
        };
    counts.foreachRDD(rdd -> rdd.count());
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
            org.apache.spark.streaming.scheduler.BatchInfo info = completed.batchInfo();
            listener.completed(
                (Long) info.processingDelay().get(),
                (Long) info.schedulingDelay().get(),
                (Long) info.processingEndTime().get() - info.batchTime().milliseconds());
          }
        });
    ssc.start();
  }

  @Override
  public void offer(List<String> lines) {
    RDD<String> rdd = sc.parallelize(lines, sc.defaultParallelism()).rdd();
    synchronized (queue) {
      queue.enqueue(rdd);
    }
  }

  @Override
  public int queued() {
    synchronized (queue) {
      return queue.size();
    }
  }
}
