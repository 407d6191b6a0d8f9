package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A {@code read_committed} consumer of every partition of a word-count output topic (word → number
 * records) from its beginning, as the crash tests read it: adding up the numbers per word and
 * keeping the last number per word (a word's records all go to one partition, in the order of the
 * batches).
 */
final class TestingOutputTopic implements AutoCloseable {
  /** What the consumer saw: the numbers summed per word, and the last number per word. */
  record Output(Map<String, Long> sums, Map<String, Long> last) {}

  private final Consumer<String, String> consumer;
  private final List<TopicPartition> partitions;
  private final Map<String, Long> sums = new TreeMap<>();
  private final Map<String, Long> last = new TreeMap<>();

  TestingOutputTopic(String bootstrapServers, String topic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumer = new KafkaConsumer<>(props);
    partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads what is visible now, without waiting for more. */
  Output pollAll() {
    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
      add(r);
    }
    return new Output(sums, last);
  }

  /** Reads up to the end of every partition as it stands (the last stable offset). */
  Output readToEnd() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
      if (System.nanoTime() > deadline) {
        fail("reading did not reach " + ends + " within 30 s");
      }
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
        add(r);
      }
    }
    return new Output(sums, last);
  }

  private void add(ConsumerRecord<String, String> r) {
    long n = Long.parseLong(r.value());
    sums.merge(r.key(), n, Long::sum);
    last.put(r.key(), n);
  }

  @Override
  public void close() {
    consumer.close();
  }

  /**
   * Fails unless the per-batch counts in {@code countsTopic} add up to exactly the words {@code
   * feeder} committed, the last running total in {@code totalsTopic} of each word is its count, and
   * no word of an aborted transaction appears in either.
   */
  static void assertExactlyTheCommittedWords(
      String bootstrapServers,
      TestingKafkaLineFeeder feeder,
      String countsTopic,
      String totalsTopic) {
    Map<String, Long> written = feeder.committedCounts();
    Set<String> aborted = feeder.abortedWords();
    Output counts;
    Output totals;
    try (TestingOutputTopic countsReader = new TestingOutputTopic(bootstrapServers, countsTopic);
        TestingOutputTopic totalsReader = new TestingOutputTopic(bootstrapServers, totalsTopic)) {
      counts = countsReader.readToEnd();
      totals = totalsReader.readToEnd();
    }
    Set<String> abortedCounted = new TreeSet<>(aborted);
    abortedCounted.retainAll(counts.sums().keySet());
    Set<String> abortedTotalled = new TreeSet<>(aborted);
    abortedTotalled.retainAll(totals.last().keySet());
    assertEquals(Set.of(), abortedCounted, "words of aborted transactions in the counts");
    assertEquals(Set.of(), abortedTotalled, "words of aborted transactions in the totals");
    assertExactly(written, counts.sums(), "the per-batch counts summed over all batches");
    assertExactly(written, totals.last(), "the last running total of each word");
  }

  /** Fails unless {@code saved} equals {@code written}, naming each word counted wrong. */
  private static void assertExactly(
      Map<String, Long> written, Map<String, Long> saved, String what) {
    if (saved.equals(written)) {
      return;
    }
    StringBuilder diff = new StringBuilder(what + " differ from the committed words:");
    Set<String> words = new TreeSet<>(written.keySet());
    words.addAll(saved.keySet());
    for (String w : words) {
      if (!saved.getOrDefault(w, 0L).equals(written.getOrDefault(w, 0L))) {
        diff.append(
            String.format(
                "%n  %s: committed %d, written %d",
                w, written.getOrDefault(w, 0L), saved.getOrDefault(w, 0L)));
      }
    }
    fail(diff.toString());
  }
}
