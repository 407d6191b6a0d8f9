package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetRangePlanTest {
  private static final OffsetRangePlan PLAN =
      new OffsetRangePlan(
          List.of(
              new OffsetRange("orders", 0, 5, 12),
              new OffsetRange("orders", 1, 40, 40),
              new OffsetRange("payments.eu_2", 0, 0, 3_000_000_000L)),
          17);

  @Test
  void aPlanSurvivesItsBytes() {
    assertEquals(PLAN, OffsetRangePlan.fromBytes(PLAN.toBytes()));
    assertEquals(
        new OffsetRangePlan(List.of(), 0),
        OffsetRangePlan.fromBytes(new OffsetRangePlan(List.of(), 0).toBytes()));
  }

  @Test
  void theEncodingIsStable() {
    // Checkpoints written by this build must be read by later ones: these bytes never change.
    OffsetRangePlan plan = new OffsetRangePlan(List.of(new OffsetRange("t", 2, 5, 9)), 1);

    assertEquals(
        "4b01"
            + "0000000000000001"
            + "00000001"
            + "000174"
            + "00000002"
            + "0000000000000005"
            + "0000000000000009",
        HexFormat.of().formatHex(plan.toBytes()));
  }

  @Test
  void bytesThatAreNotAKafkaPlanAreRefusedNotMisread() {
    byte[] bytes = PLAN.toBytes();
    byte[] otherSource = bytes.clone();
    otherSource[0] = 'R';
    byte[] laterVersion = bytes.clone();
    laterVersion[1] = 2;

    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> OffsetRangePlan.fromBytes(otherSource))
            .getMessage()
            .contains("expected a Kafka offset range plan"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> OffsetRangePlan.fromBytes(laterVersion))
            .getMessage()
            .contains("version 2 was written by another build"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> OffsetRangePlan.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
            .getMessage()
            .contains("cut short"));
    assertThrows(
        IllegalArgumentException.class,
        () -> OffsetRangePlan.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)));
  }

  @Test
  void theUntilsOfAPlanAreWhereEachPartitionsNextBatchStarts() {
    assertEquals(
        Map.of(
            new TopicPartition("orders", 0), 12L,
            new TopicPartition("orders", 1), 40L,
            new TopicPartition("payments.eu_2", 0), 3_000_000_000L),
        PLAN.untils());
  }

  @Test
  void tasksAreTheNonEmptyRangesSplitToTheMaximum() {
    assertEquals(
        List.of(
            new OffsetRange("orders", 0, 5, 12),
            new OffsetRange("payments.eu_2", 0, 0, 1_500_000_000L),
            new OffsetRange("payments.eu_2", 0, 1_500_000_000L, 3_000_000_000L)),
        PLAN.tasks(2_000_000_000L));
  }

  @Test
  void aPlanIsAsCompactAsItsRanges() {
    assertArrayEquals(
        new byte[] {'K', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        new OffsetRangePlan(List.of(), 0).toBytes());
  }
}
