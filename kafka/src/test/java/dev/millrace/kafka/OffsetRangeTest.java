package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OffsetRangeTest {

  @Test
  void aLargeRangeSplitsIntoEvenConsecutivePiecesOfAtMostTheMaximum() {
    OffsetRange range = new OffsetRange("orders", 3, 100, 110);

    assertEquals(
        List.of(
            new OffsetRange("orders", 3, 100, 104),
            new OffsetRange("orders", 3, 104, 107),
            new OffsetRange("orders", 3, 107, 110)),
        range.split(4));
    assertEquals(List.of(range), range.split(10));
    assertEquals(List.of(range), range.split(Long.MAX_VALUE));
  }

  @Test
  void anEmptyRangeStaysOnePiece() {
    OffsetRange empty = new OffsetRange("orders", 0, 7, 7);

    assertEquals(List.of(empty), empty.split(3));
  }

  @Test
  void aRangeThatEndsBeforeItStartsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new OffsetRange("orders", 0, 8, 7));
    assertThrows(IllegalArgumentException.class, () -> new OffsetRange("orders", -1, 0, 7));
    assertThrows(IllegalArgumentException.class, () -> new OffsetRange("bad topic", 0, 0, 7));
  }
}
