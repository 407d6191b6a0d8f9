package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.Durations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OffsetRangePlannerTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  private static KafkaOptions options(String... settings) {
    Map<String, String> conf = new HashMap<>();
    conf.put("bootstrap.servers", KAFKA.bootstrapServers());
    conf.put("planningTimeout", "30s");
    for (int i = 0; i < settings.length; i += 2) {
      conf.put(settings[i], settings[i + 1]);
    }
    return KafkaOptions.of(conf);
  }

  private static OffsetRange range(String topic, int partition, long from, long until) {
    return new OffsetRange(topic, partition, from, until);
  }

  @Test
  void aFirstPlanFromEarliestCoversEveryPartitionToItsEndAndTheNextContinuesThere() {
    KAFKA.createTopic("plan-basic", 2);
    KAFKA.produce("plan-basic", 0, "a", "b", "c");
    KAFKA.produce("plan-basic", 1, "d");
    try (OffsetRangePlanner planner =
        new OffsetRangePlanner(options("subscribe", "plan-basic", "startingOffsets", "earliest"))) {
      OffsetRangePlan first = planner.planFirst(Long.MAX_VALUE);
      KAFKA.produce("plan-basic", 1, "e", "f");
      OffsetRangePlan next = planner.planNext(first.untils(), Long.MAX_VALUE);

      assertEquals(
          new OffsetRangePlan(
              List.of(range("plan-basic", 0, 0, 3), range("plan-basic", 1, 0, 1)), 0),
          first);
      assertEquals(
          new OffsetRangePlan(
              List.of(range("plan-basic", 0, 3, 3), range("plan-basic", 1, 1, 3)), 0),
          next);
    }
  }

  @Test
  void startingOffsetsChooseWhereAFirstPlanBegins() {
    KAFKA.createTopic("plan-start", 2);
    KAFKA.produce("plan-start", 0, "a", "b", "c", "d");
    KAFKA.produce("plan-start", 1, "e", "f");

    assertEquals(
        List.of(range("plan-start", 0, 4, 4), range("plan-start", 1, 2, 2)),
        planFirst("startingOffsets", "latest"));
    assertEquals(
        List.of(range("plan-start", 0, 3, 4), range("plan-start", 1, 0, 2)),
        planFirst("startingOffsets", "plan-start:0=3"));
    assertEquals(
        List.of(range("plan-start", 0, 0, 4), range("plan-start", 1, 0, 2)),
        planFirst("startingOffsets", "timestamp:0"));
    assertEquals(
        List.of(range("plan-start", 0, 4, 4), range("plan-start", 1, 2, 2)),
        planFirst("startingOffsets", "timestamp:" + (System.currentTimeMillis() + 3_600_000)));
  }

  private static List<OffsetRange> planFirst(String key, String value) {
    try (OffsetRangePlanner planner =
        new OffsetRangePlanner(options("subscribe", "plan-start", key, value))) {
      return planner.planFirst(Long.MAX_VALUE).ranges();
    }
  }

  @Test
  void aPatternPicksUpTopicsAndPartitionsCreatedBetweenPlansFromTheirEarliestOffset() {
    KAFKA.createTopic("pattern-a", 1);
    KAFKA.createTopic("unmatched-pattern-a", 1);
    KAFKA.produce("pattern-a", 0, "a", "b");
    try (OffsetRangePlanner planner =
        new OffsetRangePlanner(
            options("subscribePattern", "pattern-.*", "startingOffsets", "latest"))) {
      OffsetRangePlan first = planner.planFirst(Long.MAX_VALUE);
      KAFKA.addPartitions("pattern-a", 2);
      KAFKA.createTopic("pattern-b", 1);
      KAFKA.produce("pattern-a", 1, "c");
      KAFKA.produce("pattern-b", 0, "d", "e");
      KAFKA.produce("unmatched-pattern-a", 0, "f");
      OffsetRangePlan next = planner.planNext(first.untils(), Long.MAX_VALUE);

      assertEquals(List.of(range("pattern-a", 0, 2, 2)), first.ranges());
      assertEquals(
          List.of(
              range("pattern-a", 0, 2, 2),
              range("pattern-a", 1, 0, 1),
              range("pattern-b", 0, 0, 2)),
          next.ranges());
    }
  }

  @Test
  void theBudgetCapsEachPartitionsRangeAndTheRestWaitsForTheNextPlans() {
    KAFKA.createTopic("plan-budget", 1);
    KAFKA.produce("plan-budget", 0, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    try (OffsetRangePlanner planner =
        new OffsetRangePlanner(
            options("subscribe", "plan-budget", "startingOffsets", "earliest"))) {
      OffsetRangePlan first = planner.planFirst(4);
      OffsetRangePlan second = planner.planNext(first.untils(), 4);
      OffsetRangePlan third = planner.planNext(second.untils(), 4);

      assertEquals(List.of(range("plan-budget", 0, 0, 4)), first.ranges());
      assertEquals(List.of(range("plan-budget", 0, 4, 8)), second.ranges());
      assertEquals(List.of(range("plan-budget", 0, 8, 10)), third.ranges());
    }
  }

  @Test
  void theBudgetIsTheLowerOfBackpressureAndMaxRatePerPartitionOverTheBatch() {
    try (OffsetRangePlanner limited =
            new OffsetRangePlanner(options("subscribe", "any", "maxRatePerPartition", "100"));
        OffsetRangePlanner unlimited = new OffsetRangePlanner(options("subscribe", "any"))) {
      assertEquals(50, limited.budgetPerPartition(Durations.milliseconds(500), 1_000));
      assertEquals(20, limited.budgetPerPartition(Durations.seconds(2), 10));
      assertEquals(1, limited.budgetPerPartition(Durations.milliseconds(100), 1));
      assertEquals(
          Long.MAX_VALUE,
          unlimited.budgetPerPartition(Durations.seconds(1), Double.POSITIVE_INFINITY));
    }
  }

  @Test
  void deletedOffsetsFailThePlanNamingTopicPartitionOffsetsAndTheSetting() {
    KAFKA.createTopic("plan-lost", 1);
    KAFKA.produce("plan-lost", 0, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    try (OffsetRangePlanner planner =
        new OffsetRangePlanner(options("subscribe", "plan-lost", "startingOffsets", "earliest"))) {
      OffsetRangePlan first = planner.planFirst(3);
      KAFKA.deleteRecordsBefore("plan-lost", 0, 6);

      KafkaDataLossException lost =
          assertThrows(KafkaDataLossException.class, () -> planner.planNext(first.untils(), 3));

      assertEquals(new TopicPartition("plan-lost", 0), lost.partition());
      assertEquals(3, lost.lostFrom());
      assertEquals(6, lost.lostUntil());
      assertTrue(
          lost.getMessage()
              .startsWith("offsets 3 to 5 of topic plan-lost partition 0 were deleted"),
          lost.getMessage());
      assertTrue(lost.getMessage().contains("failOnDataLoss=true"), lost.getMessage());
      assertTrue(lost.getMessage().contains("set failOnDataLoss=false"), lost.getMessage());
    }
  }

  @Test
  void withoutFailOnDataLossDeletedOffsetsAreSkippedAndCounted() {
    KAFKA.createTopic("plan-skip", 1);
    KAFKA.produce("plan-skip", 0, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    try (OffsetRangePlanner planner =
        new OffsetRangePlanner(
            options(
                "subscribe",
                "plan-skip",
                "startingOffsets",
                "earliest",
                "failOnDataLoss",
                "false"))) {
      OffsetRangePlan first = planner.planFirst(3);
      KAFKA.deleteRecordsBefore("plan-skip", 0, 6);
      OffsetRangePlan next = planner.planNext(first.untils(), 3);

      assertEquals(new OffsetRangePlan(List.of(range("plan-skip", 0, 6, 9)), 3), next);
    }
  }

  @Test
  void underReadCommittedAPlanEndsBeforeAnOpenTransactionAndUnderReadUncommittedAtItsEnd() {
    KAFKA.createTopic("plan-open", 1);
    KAFKA.produce("plan-open", 0, "a", "b");
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "plan-open-writer");
    try (Producer<String, String> open = new KafkaProducer<>(props)) {
      open.initTransactions();
      open.beginTransaction();
      open.send(new ProducerRecord<>("plan-open", 0, "k", "pending"));
      open.send(new ProducerRecord<>("plan-open", 0, "k", "pending"));
      open.flush();

      assertEquals(
          List.of(range("plan-open", 0, 0, 2)),
          planFirstOf("plan-open", "isolation.level", "read_committed"));
      assertEquals(
          List.of(range("plan-open", 0, 0, 4)),
          planFirstOf("plan-open", "isolation.level", "read_uncommitted"));
      open.abortTransaction();
    }
  }

  private static List<OffsetRange> planFirstOf(String topic, String key, String value) {
    try (OffsetRangePlanner planner =
        new OffsetRangePlanner(
            options("subscribe", topic, "startingOffsets", "earliest", key, value))) {
      return planner.planFirst(Long.MAX_VALUE).ranges();
    }
  }

  @Test
  void aSubscribedTopicThatDoesNotExistYetIsReadOnceCreated() {
    try (OffsetRangePlanner planner =
        new OffsetRangePlanner(options("subscribe", "plan-later", "startingOffsets", "earliest"))) {
      OffsetRangePlan first = planner.planFirst(Long.MAX_VALUE);
      KAFKA.createTopic("plan-later", 1);
      KAFKA.produce("plan-later", 0, "a");

      assertEquals(List.of(), first.ranges());
      assertEquals(
          List.of(range("plan-later", 0, 0, 1)),
          planner.planNext(first.untils(), Long.MAX_VALUE).ranges());
    }
  }

  @Test
  void aPartitionThatEndsBelowThePositionFailsOrIsReadAgainFromItsEarliestOffset() {
    TopicPartition recreated = new TopicPartition("recreated", 0);
    List<TopicPartition> partitions = List.of(recreated);
    Map<TopicPartition, Long> starts = Map.of(recreated, 120L);
    Map<TopicPartition, Long> earliest = Map.of(recreated, 0L);
    Map<TopicPartition, Long> ends = Map.of(recreated, 30L);

    KafkaDataLossException lost =
        assertThrows(
            KafkaDataLossException.class,
            () -> OffsetRangePlanner.decide(partitions, starts, earliest, ends, 100, true));
    OffsetRangePlan restarted =
        OffsetRangePlanner.decide(partitions, starts, earliest, ends, 100, false);

    assertTrue(
        lost.getMessage()
            .startsWith("topic recreated partition 0 ends at offset 30, below the position 120"),
        lost.getMessage());
    assertTrue(lost.getMessage().contains("offsets 30 to 119 are not there"), lost.getMessage());
    assertEquals(new OffsetRangePlan(List.of(range("recreated", 0, 0, 30)), 0), restarted);
  }
}
