package dev.millrace.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.kafka.TestingKafka;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.ManualClock;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KafkaWordCount} on a real broker and a manual clock: lines in, each batch's counts and the
 * running totals out, read back as a {@code read_committed} consumer reads them.
 */
class KafkaWordCountTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  @Test
  void countsAndTotalsOfTheLinesReachTheirTopicsOncePerBatch() throws Exception {
    KAFKA.createTopic("lines", 2);
    KAFKA.createTopic("word-counts", 1);
    KAFKA.createTopic("word-totals", 1);
    ManualClock clock = new ManualClock(0);
    List<Long> completed = new CopyOnWriteArrayList<>();
    StreamingContext ssc =
        StreamingContext.builder()
            .master("local[2]")
            .appName("kafka-word-count")
            .batchInterval(Durations.seconds(1))
            .clock(clock)
            .build();
    new KafkaWordCount()
        .define(
            ssc, new String[] {KAFKA.bootstrapServers(), "lines", "word-counts", "word-totals"});
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            completed.add(batch.batchTime());
          }
        });
    ssc.start();
    try (ssc) {
      KAFKA.produce("lines", 0, "to be or", "not to be");
      runUntil(clock, completed, 1000);
      KAFKA.produce("lines", 1, "to see");
      runUntil(clock, completed, 2000);
    }

    assertEquals(
        List.of("be=2", "not=1", "or=1", "to=2", "see=1", "to=1"),
        sortedPerBatch(readCommitted("word-counts"), 4));
    Map<String, String> totals = new TreeMap<>();
    readCommitted("word-totals").forEach(r -> totals.put(r.key(), r.value()));
    assertEquals(Map.of("be", "2", "not", "1", "or", "1", "see", "1", "to", "3"), totals);
  }

  private static void runUntil(ManualClock clock, List<Long> completed, long time)
      throws InterruptedException {
    clock.setTime(time);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!completed.contains(time)) {
      if (System.nanoTime() > deadline) {
        fail("batch " + time + " did not complete; completed " + completed);
      }
      Thread.sleep(5);
    }
  }

  /** The first {@code first} records sorted, then the rest sorted: one batch each. */
  private static List<String> sortedPerBatch(
      List<ConsumerRecord<String, String>> records, int first) {
    List<String> all = new ArrayList<>();
    records.forEach(r -> all.add(r.key() + "=" + r.value()));
    List<String> head = new ArrayList<>(all.subList(0, first));
    List<String> tail = new ArrayList<>(all.subList(first, all.size()));
    head.sort(null);
    tail.sort(null);
    head.addAll(tail);
    return head;
  }

  /** Every committed record of {@code topic}'s partition 0, in offset order. */
  private static List<ConsumerRecord<String, String>> readCommitted(String topic) {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
