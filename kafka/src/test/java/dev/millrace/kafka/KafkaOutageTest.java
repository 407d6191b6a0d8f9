package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Planning and reading while the broker is down; its own broker, because the test stops it. */
class KafkaOutageTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  @Test
  void aBrokerThatIsDownIsRetriedUntilTheTimeoutsThenNamedInTheErrorOfPlanningAndReading()
      throws Exception {
    KAFKA.createTopic("outage", 1);
    KAFKA.produce("outage", 0, "a");
    String servers = KAFKA.bootstrapServers();
    try (OffsetRangePlanner planner =
        new OffsetRangePlanner(
            KafkaOptions.of(
                Map.of(
                    "bootstrap.servers", servers,
                    "subscribe", "outage",
                    "startingOffsets", "earliest",
                    "planningTimeout", "3s")))) {
      OffsetRangePlan first = planner.planFirst(Long.MAX_VALUE);
      KAFKA.stop();

      KafkaUnavailableException down =
          assertThrows(
              KafkaUnavailableException.class,
              () -> planner.planNext(first.untils(), Long.MAX_VALUE));

      assertEquals(List.of(new OffsetRange("outage", 0, 0, 1)), first.ranges());
      assertTrue(down.getMessage().contains("the brokers " + servers), down.getMessage());
      assertTrue(down.getMessage().contains("within planningTimeout=3s"), down.getMessage());
      assertTrue(down.getMessage().contains("asking for "), down.getMessage());
      assertTrue(down.getMessage().contains("raise planningTimeout"), down.getMessage());
      assertReadingStallsWithAClearError(servers);
    }
  }

  /** A range is read while the broker is down: it fails after default.api.timeout.ms, named. */
  private static void assertReadingStallsWithAClearError(String servers) {
    KafkaOptions options =
        KafkaOptions.of(
            Map.of(
                "bootstrap.servers", servers,
                "subscribe", "outage",
                "default.api.timeout.ms", "2000"));
    try (KafkaConsumerPool pool = new KafkaConsumerPool(1)) {
      OffsetRangeReader reader = new OffsetRangeReader(options, pool);
      try (OffsetRangeReader.RangeIterator<byte[], byte[]> records =
          reader.read(new OffsetRange("outage", 0, 0, 1))) {
        KafkaUnavailableException stalled =
            assertThrows(KafkaUnavailableException.class, records::hasNext);

        assertTrue(
            stalled
                .getMessage()
                .startsWith("reading outage:0 [0, 1) from " + servers + " made no progress"),
            stalled.getMessage());
        assertTrue(stalled.getMessage().contains("at offset 0"), stalled.getMessage());
        assertEquals(0, pool.idleCount(), "a consumer that failed is closed, not pooled");
      }
    }
  }
}
