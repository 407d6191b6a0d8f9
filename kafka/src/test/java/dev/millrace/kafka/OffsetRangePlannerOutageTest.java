package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Its own broker, because the test stops it. */
class OffsetRangePlannerOutageTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  @Test
  void aBrokerThatIsDownIsRetriedUntilThePlanningTimeoutThenNamedInTheError() throws Exception {
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
    }
  }
}
