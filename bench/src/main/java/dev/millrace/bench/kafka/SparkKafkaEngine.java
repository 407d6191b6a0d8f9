package dev.millrace.bench.kafka;

import dev.millrace.bench.Engine;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.PerPartitionConfig;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import scala.Tuple2;

/**
 * The Kafka word count on Spark 3.5's Kafka DStream ({@code spark-streaming-kafka-0-10}), {@code
 * local[2]}, UI off: {@code KafkaUtils.createDirectStream} with {@code PreferConsistent} and {@code
 * Subscribe}; for the delay measurement the usual {@code foreachRDD} → {@code foreachPartition}
 * output through one long-lived idempotent producer per executor JVM, flushed at the end of each
 * partition (no transactions: Spark has no exactly-once Kafka output).
 */
public final class SparkKafkaEngine implements KafkaEngine {
  /** The executor-side producer of the output (one per JVM, as users write it). */
  private static volatile Producer<String, String> output;

  private final JavaSparkContext sc;
  private JavaStreamingContext ssc;
  private int streams;

  /** Creates the SparkContext, shared by the streams this engine starts. */
  public SparkKafkaEngine() {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName("kbench")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1");
    sc = new JavaSparkContext(conf);
    sc.setLogLevel("WARN");
  }

  @Override
  public void startCounting(
      String bootstrap,
      String topic,
      long intervalMs,
      long maxRatePerPartition,
      Engine.BatchCompleted listener) {
    JavaInputDStream<ConsumerRecord<String, String>> records =
        stream(bootstrap, topic, intervalMs, maxRatePerPartition, listener);
    records
        .map(ConsumerRecord::value)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(word -> new Tuple2<>(word, 1L))
        .reduceByKey(Long::sum)
        .foreachRDD(rdd -> rdd.count());
    ssc.start();
  }

  @Override
  public void startCountingTo(
      String bootstrap,
      String topic,
      String outputTopic,
      long intervalMs,
      long base,
      Engine.BatchCompleted listener) {
    JavaInputDStream<ConsumerRecord<String, String>> records =
        stream(bootstrap, topic, intervalMs, 0, listener);
    JavaPairDStream<String, Long> counts =
        records
            .flatMapToPair(
                record -> {
                  long one = CountSince.one(record.timestamp(), base);
                  String[] words = record.value().split(" ");
                  List<Tuple2<String, Long>> pairs = new java.util.ArrayList<>(words.length);
                  for (String word : words) {
                    pairs.add(new Tuple2<>(word, one));
                  }
                  return pairs.iterator();
                })
            .reduceByKey(CountSince::merge);
    counts.foreachRDD(
        rdd ->
            rdd.foreachPartition(
                (Iterator<Tuple2<String, Long>> partition) -> {
                  Producer<String, String> producer = output(bootstrap);
                  while (partition.hasNext()) {
                    Tuple2<String, Long> count = partition.next();
                    producer.send(
                        new ProducerRecord<>(
                            outputTopic, count._1(), CountSince.format(count._2(), base)));
                  }
                  producer.flush();
                }));
    ssc.start();
  }

  @Override
  public void stop() {
    if (ssc != null) {
      ssc.stop(false, false);
      ssc = null;
    }
  }

  private JavaInputDStream<ConsumerRecord<String, String>> stream(
      String bootstrap,
      String topic,
      long intervalMs,
      long maxRatePerPartition,
      Engine.BatchCompleted listener) {
    ssc = new JavaStreamingContext(sc, Durations.milliseconds(intervalMs));
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", bootstrap);
    params.put("key.deserializer", StringDeserializer.class);
    params.put("value.deserializer", StringDeserializer.class);
    // Subscribe needs a group; a new one per stream, so nothing committed is ever found and every
    // stream starts at the earliest offset (auto commit off: Spark's documented setting).
    params.put("group.id", "kbench-spark-" + ProcessHandle.current().pid() + "-" + ++streams);
    params.put("auto.offset.reset", "earliest");
    params.put("enable.auto.commit", false);
    params.put("isolation.level", "read_committed");
    JavaInputDStream<ConsumerRecord<String, String>> records =
        KafkaUtils.createDirectStream(
            ssc,
            LocationStrategies.PreferConsistent(),
            ConsumerStrategies.<String, String>Subscribe(List.of(topic), params),
            new RateLimit(maxRatePerPartition));
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
    return records;
  }

  private static Producer<String, String> output(String bootstrap) {
    Producer<String, String> producer = output;
    if (producer == null) {
      synchronized (SparkKafkaEngine.class) {
        producer = output;
        if (producer == null) {
          Map<String, Object> props = new HashMap<>();
          props.put("bootstrap.servers", bootstrap);
          props.put("key.serializer", StringSerializer.class);
          props.put("value.serializer", StringSerializer.class);
          props.put("acks", "all");
          props.put("enable.idempotence", true);
          producer = new KafkaProducer<>(props);
          output = producer;
        }
      }
    }
    return producer;
  }

  /**
   * {@code spark.streaming.kafka.maxRatePerPartition} for one stream: Spark's default {@code
   * PerPartitionConfig} reads that setting once from the SparkContext's configuration, and the rate
   * search raises it per stream on one SparkContext (0: no limit, as for the setting).
   */
  private static final class RateLimit extends PerPartitionConfig {
    private static final long serialVersionUID = 1L;
    private final long maxRatePerPartition;

    RateLimit(long maxRatePerPartition) {
      this.maxRatePerPartition = maxRatePerPartition;
    }

    @Override
    public long maxRatePerPartition(TopicPartition topicPartition) {
      return maxRatePerPartition;
    }
  }
}
