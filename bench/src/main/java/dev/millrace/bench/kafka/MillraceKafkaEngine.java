package dev.millrace.bench.kafka;

import dev.millrace.bench.Engine;
import dev.millrace.kafka.KafkaInput;
import dev.millrace.kafka.KafkaOutput;
import dev.millrace.kafka.KafkaOutputRecord;
import dev.millrace.kafka.KafkaRecord;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.DStream;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka word count on Millrace's {@code local[2]} driver: {@code KafkaInput.directStream} with
 * {@code read_committed}, and for the delay measurement {@code saveToKafka} exactly-once (one Kafka
 * transaction per batch with its batch marker, the default).
 */
public final class MillraceKafkaEngine implements KafkaEngine {
  private StreamingContext ssc;
  private int streams;

  @Override
  public void startCounting(
      String bootstrap,
      String topic,
      long intervalMs,
      long maxRatePerPartition,
      Engine.BatchCompleted listener) {
    StreamingContext context = context(intervalMs, listener);
    DStream<KafkaRecord<String, String>> records =
        KafkaInput.directStream(context, sourceOptions(bootstrap, topic, maxRatePerPartition));
    records
        .flatMap(record -> Arrays.asList(record.value().split(" ")))
        .mapToPair(word -> Pair.of(word, 1L))
        .reduceByKey(Long::sum)
        .foreachBatch(batch -> batch.count());
    context.start();
  }

  @Override
  public void startCountingTo(
      String bootstrap,
      String topic,
      String outputTopic,
      long intervalMs,
      long base,
      Engine.BatchCompleted listener) {
    StreamingContext context = context(intervalMs, listener);
    DStream<KafkaRecord<String, String>> records =
        KafkaInput.directStream(context, sourceOptions(bootstrap, topic, 0));
    PairDStream<String, Long> counts =
        PairDStream.of(
                records.flatMap(
                    record -> {
                      long one = CountSince.one(record.timestamp(), base);
                      String[] words = record.value().split(" ");
                      List<Pair<String, Long>> pairs = new ArrayList<>(words.length);
                      for (String word : words) {
                        pairs.add(Pair.of(word, one));
                      }
                      return pairs;
                    }))
            .reduceByKey(CountSince::merge);
    KafkaOutput.saveToKafka(
        counts,
        (Pair<String, Long> count) ->
            KafkaOutputRecord.of(count.key(), CountSince.format(count.value(), base)),
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "topic",
            outputTopic,
            "outputName",
            "counts",
            "key.serializer",
            StringSerializer.class.getName(),
            "value.serializer",
            StringSerializer.class.getName()));
    context.start();
  }

  @Override
  public void stop() {
    if (ssc != null) {
      ssc.stop(false);
      ssc = null;
    }
  }

  private StreamingContext context(long intervalMs, Engine.BatchCompleted listener) {
    // Backpressure is on by default in Millrace and off in Spark: each rate step must read exactly
    // its rate, so it is off (as in the queue-stream benchmarks).
    ssc =
        StreamingContext.builder()
            .master("local[2]")
            .appName("kbench-" + ProcessHandle.current().pid() + "-" + ++streams)
            .batchInterval(Durations.milliseconds(intervalMs))
            .conf("millrace.backpressure.enabled", "false")
            .build();
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
    return ssc;
  }

  private static Map<String, String> sourceOptions(
      String bootstrap, String topic, long maxRatePerPartition) {
    Map<String, String> options = new HashMap<>();
    options.put("bootstrap.servers", bootstrap);
    options.put("subscribe", topic);
    options.put("startingOffsets", "earliest");
    options.put("isolation.level", "read_committed");
    options.put("key.deserializer", StringDeserializer.class.getName());
    options.put("value.deserializer", StringDeserializer.class.getName());
    if (maxRatePerPartition > 0) {
      options.put("maxRatePerPartition", Long.toString(maxRatePerPartition));
    }
    return options;
  }
}
