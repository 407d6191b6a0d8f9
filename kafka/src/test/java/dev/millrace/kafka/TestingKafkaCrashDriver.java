package dev.millrace.kafka;

import dev.millrace.runtime.driver.ApplicationRunner;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka word count as a real driver process, for {@link KafkaCrashTest} to kill with SIGKILL
 * and start again: lines from an input topic, each batch's count per word to a counts topic and the
 * running total per word ({@code updateStateByKey}) to a totals topic, both through {@link
 * KafkaOutput#saveToKafka} exactly once, as {@code KafkaWordCount} in the examples does. {@link
 * StreamingContext#getOrCreate} defines the graph and resumes from the checkpoint directory when it
 * holds one; SIGTERM stops it gracefully with exit code 0.
 *
 * <p>Prints {@code BATCH <time> done} to standard output after every batch whose outputs ran. Logs
 * go to standard error.
 *
 * <p>Arguments: bootstrap servers, input topic, counts topic, totals topic, checkpoint directory,
 * batch interval in milliseconds, checkpoint interval in batches.
 */
public final class TestingKafkaCrashDriver {
  static final String APP = "kafka-crash";

  private TestingKafkaCrashDriver() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 7) {
      throw new IllegalArgumentException(
          "arguments: bootstrap-servers input-topic counts-topic totals-topic checkpoint-dir"
              + " batch-interval-ms checkpoint-batches; got "
              + Arrays.toString(args));
    }
    String servers = args[0];
    long interval = Long.parseLong(args[5]);
    long checkpointBatches = Long.parseLong(args[6]);
    StreamingContext ssc =
        StreamingContext.getOrCreate(
            args[4],
            () -> {
              StreamingContext c =
                  StreamingContext.builder()
                      .master("local[2]")
                      .appName(APP)
                      .batchInterval(Durations.milliseconds(interval))
                      .conf("millrace.checkpoint.interval", checkpointBatches * interval + "ms")
                      .build();
              define(c, servers, args[1], args[2], args[3]);
              return c;
            });
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            System.out.println("BATCH " + batch.batchTime() + " done");
            System.out.flush();
          }
        });
    ExitCode code = ApplicationRunner.runUntilStopped(ssc);
    System.exit(code.code());
  }

  /**
   * Defines the word count on {@code ssc}: lines from {@code input}, counts per batch to {@code
   * counts} and running totals to {@code totals}, all on the brokers {@code servers}.
   */
  static void define(
      StreamingContext ssc, String servers, String input, String counts, String totals) {
    PairDStream<String, Long> ones =
        KafkaInput.<String, String>directStream(
                ssc,
                Map.of(
                    "bootstrap.servers",
                    servers,
                    "subscribe",
                    input,
                    "startingOffsets",
                    "earliest",
                    "key.deserializer",
                    StringDeserializer.class.getName(),
                    "value.deserializer",
                    StringDeserializer.class.getName()))
            .map(KafkaRecord::value)
            .flatMap(line -> Arrays.asList(line.split(" ")))
            .filter(word -> !word.isEmpty())
            .mapToPair(word -> Pair.of(word, 1L));
    KafkaOutput.saveToKafka(
        ones.reduceByKey(Long::sum),
        count -> KafkaOutputRecord.of(count.key(), count.value().toString()),
        output(servers, counts, "counts"));
    KafkaOutput.saveToKafka(
        ones.updateStateByKey(
            (List<Long> values, Optional<Long> total) ->
                Optional.of(total.orElse(0L) + values.size())),
        total -> KafkaOutputRecord.of(total.key(), total.value().toString()),
        output(servers, totals, "totals"));
  }

  private static Map<String, String> output(String servers, String topic, String name) {
    return Map.of(
        "bootstrap.servers", servers,
        "topic", topic,
        "outputName", name,
        "key.serializer", StringSerializer.class.getName(),
        "value.serializer", StringSerializer.class.getName());
  }
}
