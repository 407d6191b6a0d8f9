package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KafkaOutput#saveToKafka} on a real broker through the public API: a Kafka topic read with
 * {@link KafkaInput}, its values written to another topic, read back as {@code read_committed}
 * consumers read it, across driver crashes before, inside and after the transaction, and a second
 * instance of the output.
 */
class KafkaOutputTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  private static final String APP = "kafka-output";

  @TempDir Path dir;

  private static Map<String, String> input(String topic) {
    return Map.of(
        "bootstrap.servers", KAFKA.bootstrapServers(),
        "subscribe", topic,
        "startingOffsets", "earliest",
        "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", StringDeserializer.class.getName());
  }

  private static Map<String, String> output(String topic, String... settings) {
    Map<String, String> conf = new HashMap<>();
    conf.put("bootstrap.servers", KAFKA.bootstrapServers());
    conf.put("topic", topic);
    conf.put("outputName", topic + "-out");
    conf.put("key.serializer", StringSerializer.class.getName());
    conf.put("value.serializer", StringSerializer.class.getName());
    for (int i = 0; i < settings.length; i += 2) {
      conf.put(settings[i], settings[i + 1]);
    }
    return conf;
  }

  /** Produces {@code count} values {@code prefix<n>} over two partitions of {@code topic}. */
  private static List<String> produce(String topic, String prefix, int from, int count) {
    List<String> values = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      KAFKA.produce(topic, i % 2, prefix + i);
      values.add(prefix + i);
    }
    return values;
  }

  @Test
  void everyBatchIsWrittenOnceInATransactionWithItsMarker() throws Exception {
    KAFKA.createTopic("plain-in", 2);
    KAFKA.createTopic("plain-out", 3);
    List<String> expected = new ArrayList<>();
    try (TestingRun run = run(APP, null, 0, input("plain-in"), output("plain-out"), -1)) {
      expected.addAll(produce("plain-in", "p", 0, 5));
      run.runUntil(1000);
      expected.addAll(produce("plain-in", "p", 5, 3));
      run.runUntil(2000);
      run.runUntil(3000); // empty: no transaction, the marker stays at 2000
    }

    assertEquals(sorted(expected), readCommitted("plain-out"));
    Map<TopicPartition, OffsetAndMetadata> marker =
        KAFKA
            .admin()
            .listConsumerGroupOffsets("millrace-" + APP + "-plain-out-out")
            .partitionsToOffsetAndMetadata()
            .get();
    assertEquals(2000, marker.get(new TopicPartition("plain-out", 0)).offset());
  }

  @Test
  void theOutputsProducerIsClosedWhenTheContextStops() throws Exception {
    KAFKA.createTopic("closing-in", 2);
    KAFKA.createTopic("closing-out", 1);
    String transactionalId = "millrace-" + APP + "-closing-out-out";
    try (TestingRun run = run(APP, null, 0, input("closing-in"), output("closing-out"), -1)) {
      produce("closing-in", "c", 0, 3);
      run.runUntil(1000);
      assertTrue(
          producerThreads(transactionalId) > 0, "the output's producer runs while the app does");
    }

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (producerThreads(transactionalId) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, producerThreads(transactionalId), "no producer thread outlives the context");
  }

  private static long producerThreads(String transactionalId) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().contains(transactionalId))
        .count();
  }

  @Test
  void aBatchRunAgainAfterTheDriverDiedBehindTheOutputWritesNothingTwice() throws Exception {
    KAFKA.createTopic("after-in", 2);
    KAFKA.createTopic("after-out", 1);
    String checkpoint = dir.resolve("after").toString();
    List<String> expected = new ArrayList<>();
    try (TestingRun first = run(APP, checkpoint, 0, input("after-in"), output("after-out"), 2000)) {
      expected.addAll(produce("after-in", "a", 0, 4));
      first.runUntil(1000);
      expected.addAll(produce("after-in", "a", 4, 4));
      first.failureAt(2000); // the Kafka output committed batch 2000, the next output failed
    }
    assertEquals(sorted(expected), readCommitted("after-out"), "batch 2000 was committed");

    expected.addAll(produce("after-in", "a", 8, 2)); // produced while the driver is down
    try (TestingRun second =
        run(APP, checkpoint, 3000, input("after-in"), output("after-out"), -1)) {
      second.runUntil(3000); // batch 2000 runs again first
      assertTrue(second.completed.contains(2000L), "batch 2000 ran again after the recovery");
    }

    assertEquals(sorted(expected), readCommitted("after-out"), "every record exactly once");
  }

  @Test
  void aDriverDyingInsideTheTransactionLeavesNothingVisibleAndTheRerunWritesTheBatchOnce()
      throws Exception {
    KAFKA.createTopic("inside-in", 2);
    KAFKA.createTopic("inside-out", 1);
    String checkpoint = dir.resolve("inside").toString();
    Map<String, String> output =
        output("inside-out", "value.serializer", TestingSabotagedSerializer.class.getName());
    List<String> expected = new ArrayList<>();
    try (TestingRun first = run(APP, checkpoint, 0, input("inside-in"), output, -1)) {
      expected.addAll(produce("inside-in", "i", 0, 3));
      first.runUntil(1000);
      expected.addAll(produce("inside-in", "i", 3, 5));
      // Two records of batch 2000 are sent, the third kills the output without an abort.
      TestingSabotagedSerializer.failOn(3, () -> new TestingDriverDeath("dies sending"));
      first.failureAt(2000);
    }
    awaitUncommitted("inside-out", 3 + 2);
    assertEquals(sorted(expected.subList(0, 3)), readCommitted("inside-out"), "only batch 1000");

    // The restarted output's producer fences the dead one and aborts its open transaction.
    try (TestingRun second = run(APP, checkpoint, 3000, input("inside-in"), output, -1)) {
      second.runUntil(3000);
    }

    assertEquals(sorted(expected), readCommitted("inside-out"), "every record exactly once");
  }

  @Test
  void aFailedSendFailsTheBatchNamingTheTopicAndAbortsItsTransaction() throws Exception {
    KAFKA.createTopic("failing-in", 2);
    KAFKA.createTopic("failing-out", 1);
    String checkpoint = dir.resolve("failing").toString();
    Map<String, String> output =
        output("failing-out", "value.serializer", TestingSabotagedSerializer.class.getName());
    List<String> expected = new ArrayList<>();
    Throwable failure;
    try (TestingRun first = run(APP, checkpoint, 0, input("failing-in"), output, -1)) {
      expected.addAll(produce("failing-in", "f", 0, 4));
      TestingSabotagedSerializer.failOn(3, () -> new SerializationException("cannot serialize"));
      failure = first.failureAt(1000);
    }
    String message = causeMessage(failure, KafkaOutputException.class);
    assertTrue(message.contains("batch 1000 to topic 'failing-out' failed"), message);
    assertTrue(message.contains("cannot serialize"), message);
    assertTrue(message.contains("aborted"), message);
    assertEquals(List.of(), readCommitted("failing-out"), "nothing of the failed batch");

    try (TestingRun second = run(APP, checkpoint, 2000, input("failing-in"), output, -1)) {
      second.runUntil(2000);
    }
    assertEquals(sorted(expected), readCommitted("failing-out"), "written once when run again");
  }

  @Test
  void aSecondInstanceOfTheOutputFencesTheFirst() throws Exception {
    KAFKA.createTopic("successor-in", 2);
    KAFKA.createTopic("fenced-out", 1);
    // One context may run per JVM: the older instance is the output's own writer, as the
    // context of another driver process would hold it.
    KafkaBatchWriter<String, String> zombie =
        new KafkaBatchWriter<>(APP, KafkaSinkOptions.of(output("fenced-out")));
    List<String> expected = new ArrayList<>();
    try {
      zombie.write(1000, List.of(KafkaOutputRecord.of("k", "z1"), KafkaOutputRecord.of("k", "z2")));
      expected.addAll(List.of("z1", "z2"));
      try (TestingRun successor =
          run(APP, null, 1000, input("successor-in"), output("fenced-out"), -1)) {
        expected.addAll(produce("successor-in", "s", 0, 3));
        successor.runUntil(2000);
      }

      KafkaOutputException fenced =
          assertThrows(
              KafkaOutputException.class,
              () -> zombie.write(3000, List.of(KafkaOutputRecord.of("k", "z3"))));
      assertTrue(fenced.getMessage().contains("fenced"), fenced.getMessage());
      assertTrue(
          fenced.getMessage().contains("millrace-" + APP + "-fenced-out-out"), fenced.getMessage());
    } finally {
      zombie.close();
    }

    assertEquals(sorted(expected), readCommitted("fenced-out"), "nothing of the zombie's 3000");
  }

  @Test
  void aTopicThatDoesNotExistFailsTheBatchNamingItAndIsNotCreated() throws Exception {
    KAFKA.createTopic("lost-in", 2);
    Throwable failure;
    try (TestingRun run = run(APP, null, 0, input("lost-in"), output("nowhere"), -1)) {
      produce("lost-in", "l", 0, 2);
      failure = run.failureAt(1000);
    }

    String message = causeMessage(failure, KafkaOutputException.class);
    assertTrue(message.contains("topic 'nowhere' does not exist"), message);
    assertTrue(message.contains("kafka-topics.sh --create --topic nowhere"), message);
    assertFalse(KAFKA.admin().listTopics().names().get().contains("nowhere"));
  }

  @Test
  void atLeastOnceWritesEveryRecordWithoutATransaction() throws Exception {
    KAFKA.createTopic("loose-in", 2);
    KAFKA.createTopic("loose-out", 2);
    Map<String, String> output = output("loose-out", "deliveryGuarantee", "at-least-once");
    output.remove("outputName");
    List<String> expected = new ArrayList<>();
    try (TestingRun run = run(APP, null, 0, input("loose-in"), output, -1)) {
      expected.addAll(produce("loose-in", "o", 0, 6));
      run.runUntil(1000);
    }

    assertEquals(sorted(expected), KAFKA.read("loose-out", "read_uncommitted"));
    assertFalse(
        KAFKA.admin().listGroups().all().get().stream()
            .anyMatch(group -> group.groupId().contains("loose-out")),
        "no marker group");
  }

  /**
   * A run copying the input topic's values to the output; the batch {@code failAt} (-1 for none)
   * fails after the Kafka output, as a driver dying behind it would.
   */
  private static TestingRun run(
      String app,
      String checkpoint,
      long now,
      Map<String, String> input,
      Map<String, String> output,
      long failAt) {
    return new TestingRun(
        app,
        checkpoint,
        now,
        ssc -> {
          var values = KafkaInput.<String, String>directStream(ssc, input).map(KafkaRecord::value);
          KafkaOutput.saveToKafka(
              values, value -> KafkaOutputRecord.of("k-" + value, value), output);
          values.foreachBatch(
              b -> {
                if (b.time() == failAt) {
                  throw new IllegalStateException(
                      "driver dies after the Kafka output of " + failAt);
                }
              });
        });
  }

  /** The driver dying in the middle of a send: nothing in the output catches it. */
  private static final class TestingDriverDeath extends Error {
    private static final long serialVersionUID = 1L;

    TestingDriverDeath(String message) {
      super(message);
    }
  }

  private static String causeMessage(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t.getMessage();
      }
    }
    return fail("no " + type.getSimpleName() + " in " + failure, failure);
  }

  private static List<String> readCommitted(String topic) {
    return KAFKA.read(topic, "read_committed");
  }

  private static void awaitUncommitted(String topic, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (KAFKA.read(topic, "read_uncommitted").size() < count) {
      if (System.nanoTime() > deadline) {
        fail(count + " records did not reach " + topic + " within 30 s");
      }
      Thread.sleep(20);
    }
  }

  private static List<String> sorted(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    copy.sort(null);
    return copy;
  }
}
