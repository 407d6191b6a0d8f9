package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OffsetRangeReaderTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();
  private static final KafkaConsumerPool POOL = new KafkaConsumerPool(4);

  @AfterAll
  static void closePool() {
    POOL.close();
  }

  private static KafkaOptions options(String topic, String... settings) {
    Map<String, String> conf = new HashMap<>();
    conf.put("bootstrap.servers", KAFKA.bootstrapServers());
    conf.put("subscribe", topic);
    conf.put("startingOffsets", "earliest");
    conf.put("key.deserializer", StringDeserializer.class.getName());
    conf.put("value.deserializer", StringDeserializer.class.getName());
    for (int i = 0; i < settings.length; i += 2) {
      conf.put(settings[i], settings[i + 1]);
    }
    return KafkaOptions.of(conf);
  }

  private static List<String> values(OffsetRangeReader reader, List<OffsetRange> ranges) {
    List<String> values = new ArrayList<>();
    for (OffsetRange range : ranges) {
      try (OffsetRangeReader.RangeIterator<String, String> records = reader.read(range)) {
        records.forEachRemaining(record -> values.add(record.value()));
      }
    }
    return values;
  }

  @Test
  void aPlannedTopicIsReadExactlyOnceThroughRangesSplitIntoTasks() {
    KAFKA.createTopic("read-all", 3);
    List<String> expected = new ArrayList<>();
    for (int partition = 0; partition < 3; partition++) {
      String[] values = new String[7];
      for (int i = 0; i < values.length; i++) {
        values[i] = partition + "-" + i;
        expected.add(values[i]);
      }
      KAFKA.produce("read-all", partition, values);
    }
    KafkaOptions options = options("read-all");
    OffsetRangeReader reader = new OffsetRangeReader(options, POOL);
    try (OffsetRangePlanner planner = new OffsetRangePlanner(options)) {
      List<OffsetRange> tasks = planner.planFirst(Long.MAX_VALUE).tasks(3);

      assertEquals(9, tasks.size(), "7 offsets in pieces of at most 3: 3 tasks a partition");
      assertEquals(expected, values(reader, tasks));
    }
  }

  @Test
  void aRecordCarriesItsTopicPartitionOffsetTimestampKeyValueAndHeaders() {
    KAFKA.createTopic("read-fields", 2);
    KAFKA.produce("read-fields", 1, "x", "y");
    long before = System.currentTimeMillis();
    KAFKA.produce("read-fields", 1, "z");
    OffsetRangeReader reader = new OffsetRangeReader(options("read-fields"), POOL);

    try (OffsetRangeReader.RangeIterator<String, String> records =
        reader.read(new OffsetRange("read-fields", 1, 2, 3))) {
      KafkaRecord<String, String> record = records.next();

      assertEquals("read-fields", record.topic());
      assertEquals(1, record.partition());
      assertEquals(2, record.offset());
      assertTrue(record.timestamp() >= before, record.timestamp() + " < " + before);
      assertEquals(TimestampType.CREATE_TIME, record.timestampType());
      assertEquals("key-z", record.key());
      assertEquals("z", record.value());
      assertEquals(List.of(), record.headers());
      assertFalse(records.hasNext());
    }
  }

  @Test
  void aRecordsHeadersAreReadInOrderWithRepeatedNames() {
    KAFKA.createTopic("read-headers", 1);
    KAFKA.produceWithHeaders("read-headers", 0, "v", "trace", "t1", "tag", "a", "tag", "b");
    OffsetRangeReader reader = new OffsetRangeReader(options("read-headers"), POOL);

    try (OffsetRangeReader.RangeIterator<String, String> records =
        reader.read(new OffsetRange("read-headers", 0, 0, 1))) {
      List<KafkaRecord.Header> headers = records.next().headers();

      assertEquals(
          List.of("trace", "tag", "tag"), headers.stream().map(KafkaRecord.Header::key).toList());
      assertEquals(
          List.of("t1", "a", "b"),
          headers.stream()
              .map(header -> new String(header.value(), StandardCharsets.UTF_8))
              .toList());
    }
  }

  @Test
  void recordsAtOrPastUntilAreNotRead() {
    KAFKA.createTopic("read-until", 1);
    KAFKA.produce("read-until", 0, "a", "b", "c", "d", "e");
    OffsetRangeReader reader = new OffsetRangeReader(options("read-until"), POOL);

    assertEquals(
        List.of("b", "c"), values(reader, List.of(new OffsetRange("read-until", 0, 1, 3))));
  }

  @Test
  void abortedTransactionsAreNeverReadAndARangeOfOnlyMarkersAndAbortedRecordsCompletes() {
    KAFKA.createTopic("read-tx", 1);
    // Offsets: a=0 b=1 commit=2, x=3 y=4 z=5 abort=6, c=7 commit=8.
    KAFKA.produceInTransaction("read-tx", 0, true, "a", "b");
    KAFKA.produceInTransaction("read-tx", 0, false, "x", "y", "z");
    KAFKA.produceInTransaction("read-tx", 0, true, "c");
    KafkaOptions options = options("read-tx");
    OffsetRangeReader reader = new OffsetRangeReader(options, POOL);
    try (OffsetRangePlanner planner = new OffsetRangePlanner(options)) {
      OffsetRangePlan plan = planner.planFirst(Long.MAX_VALUE);

      assertEquals(List.of(new OffsetRange("read-tx", 0, 0, 9)), plan.ranges());
      assertEquals(List.of("a", "b", "c"), values(reader, plan.ranges()));
      assertEquals(List.of(), values(reader, List.of(new OffsetRange("read-tx", 0, 2, 7))));
      assertEquals(List.of("c"), values(reader, List.of(new OffsetRange("read-tx", 0, 2, 9))));
    }
  }

  @Test
  void offsetsDeletedAfterPlanningFailTheReadOrAreSkippedAndCounted() {
    KAFKA.createTopic("read-lost", 1);
    KAFKA.produce("read-lost", 0, "a", "b", "c", "d", "e", "f");
    OffsetRange range = new OffsetRange("read-lost", 0, 1, 6);
    KAFKA.deleteRecordsBefore("read-lost", 0, 4);
    OffsetRangeReader failing = new OffsetRangeReader(options("read-lost"), POOL);
    OffsetRangeReader skipping =
        new OffsetRangeReader(options("read-lost", "failOnDataLoss", "false"), POOL);

    KafkaDataLossException lost =
        assertThrows(KafkaDataLossException.class, () -> values(failing, List.of(range)));
    List<String> read = new ArrayList<>();
    long skipped;
    try (OffsetRangeReader.RangeIterator<String, String> records = skipping.read(range)) {
      records.forEachRemaining(record -> read.add(record.value()));
      skipped = records.skippedOffsets();
    }

    assertTrue(
        lost.getMessage().startsWith("offsets 1 to 3 of topic read-lost partition 0 were deleted"),
        lost.getMessage());
    assertEquals(List.of("e", "f"), read);
    assertEquals(3, skipped);
  }

  @Test
  void consumersAreReusedOneRangeAfterAnotherAndNeverSharedBetweenOpenRanges() {
    KAFKA.createTopic("read-pool", 2);
    KAFKA.produce("read-pool", 0, "a", "b");
    KAFKA.produce("read-pool", 1, "c", "d");
    KafkaConsumerPool pool = new KafkaConsumerPool(4);
    OffsetRangeReader reader = new OffsetRangeReader(options("read-pool"), pool);
    try (pool) {
      assertEquals(
          List.of("a", "b"), values(reader, List.of(new OffsetRange("read-pool", 0, 0, 2))));
      assertEquals(1, pool.idleCount());
      assertEquals(
          List.of("c", "d"), values(reader, List.of(new OffsetRange("read-pool", 1, 0, 2))));
      assertEquals(1, pool.idleCount(), "the second range reused the first one's consumer");

      try (OffsetRangeReader.RangeIterator<String, String> first =
              reader.read(new OffsetRange("read-pool", 0, 0, 2));
          OffsetRangeReader.RangeIterator<String, String> second =
              reader.read(new OffsetRange("read-pool", 1, 0, 2))) {
        assertEquals(0, pool.idleCount(), "two open ranges hold two consumers");
        assertEquals("a", first.next().value());
        assertEquals("c", second.next().value());
        assertEquals("b", first.next().value());
        assertEquals("d", second.next().value());
        assertFalse(first.hasNext());
        assertFalse(second.hasNext());
      }
      assertEquals(2, pool.idleCount());
    }
  }
}
