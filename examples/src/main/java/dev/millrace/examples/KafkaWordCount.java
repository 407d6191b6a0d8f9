package dev.millrace.examples;

import dev.millrace.kafka.KafkaInput;
import dev.millrace.kafka.KafkaOutput;
import dev.millrace.kafka.KafkaOutputRecord;
import dev.millrace.kafka.KafkaRecord;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Counts the words of the lines in a Kafka topic: each batch's counts go to one topic, running
 * totals over all batches ({@code updateStateByKey}) to another, as {@code word → count} records.
 * Both outputs are exactly once for consumers that read {@code isolation.level=read_committed}:
 * each batch reads the offset ranges logged for it, the totals resume from the checkpoint, and each
 * batch is written in one Kafka transaction that a re-run skips once committed. The output topics
 * must exist. The input's offsets are committed to the group named after the app, so {@code
 * kafka-consumer-groups.sh --describe --group kafka-word-count} shows the lag.
 *
 * <pre>
 *   bin/millrace run examples/apps/kafka-word-count.yaml   # supervised, from a spec
 * </pre>
 */
public final class KafkaWordCount implements StreamingApplication {

  @Override
  public void define(StreamingContext ssc, String[] args) {
    Args.require(
        args, 4, "KafkaWordCount <bootstrap servers> <input topic> <counts topic> <totals topic>");
    String servers = args[0];
    PairDStream<String, Long> ones =
        KafkaInput.<String, String>directStream(
                ssc,
                Map.of(
                    "bootstrap.servers",
                    servers,
                    "subscribe",
                    args[1],
                    "startingOffsets",
                    "earliest",
                    "commitGroupId",
                    ssc.appName(),
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
        output(servers, args[2], "counts"));
    KafkaOutput.saveToKafka(
        ones.updateStateByKey(
            (List<Long> values, Optional<Long> total) ->
                Optional.of(total.orElse(0L) + values.size())),
        total -> KafkaOutputRecord.of(total.key(), total.value().toString()),
        output(servers, args[3], "totals"));
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
