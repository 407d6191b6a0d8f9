package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.source.WalSegmentFormat.SegmentEnd;
import dev.millrace.runtime.source.WalSegmentFormat.SegmentRead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalSegmentFormatTest {
  private static final List<String> FIRST = List.of("caf\u00e9", "", "\ud83d\ude42 two");
  private static final List<String> SECOND = List.of("x", "y");

  @Test
  void readsBackEveryRecordInOrderWithItsSequenceNumber() throws IOException {
    List<String> read = new ArrayList<>();

    SegmentRead result =
        WalSegmentFormat.read(
            new ByteArrayInputStream(segment()),
            40,
            0,
            Long.MAX_VALUE,
            (seq, line) -> read.add(seq + ":" + line));

    assertEquals(List.of("40:caf\u00e9", "41:", "42:\ud83d\ude42 two", "43:x", "44:y"), read);
    assertEquals(new SegmentRead(45, segment().length, new SegmentEnd.Clean()), result);
  }

  @Test
  void handsOverOnlyTheWantedRangeAndStopsAtItsEnd() throws IOException {
    List<Long> read = new ArrayList<>();

    SegmentRead result =
        WalSegmentFormat.read(
            new ByteArrayInputStream(segment()), 40, 42, 44, (seq, line) -> read.add(seq));

    assertEquals(List.of(42L, 43L), read);
    assertEquals(44, result.endSeq());
  }

  @Test
  void aSegmentCutAtAnyByteIsTornAfterItsLastWholeBlockNeverCorrupt() throws IOException {
    byte[] whole = segment();
    int firstBlockEnd =
        WalSegmentFormat.SEGMENT_HEADER_BYTES + WalSegmentFormat.encodeBlock(40, FIRST).length;
    for (int length = 0; length < whole.length; length++) {
      List<Long> read = new ArrayList<>();

      SegmentRead result =
          WalSegmentFormat.read(
              new ByteArrayInputStream(Arrays.copyOf(whole, length)),
              40,
              0,
              Long.MAX_VALUE,
              (seq, line) -> read.add(seq));

      boolean atBlockBoundary =
          length == WalSegmentFormat.SEGMENT_HEADER_BYTES || length == firstBlockEnd;
      if (atBlockBoundary) {
        assertInstanceOf(SegmentEnd.Clean.class, result.end(), "cut at " + length);
      } else {
        assertInstanceOf(SegmentEnd.Torn.class, result.end(), "cut at " + length);
      }
      long expectedEnd = length >= firstBlockEnd ? 43 : 40;
      assertEquals(expectedEnd, result.endSeq(), "cut at " + length);
      assertEquals(expectedEnd - 40, read.size(), "cut at " + length);
    }
  }

  @Test
  void aChangedByteInAWholeBlockIsCorruptAndEndsTheReadBeforeThatBlock() throws IOException {
    byte[] damaged = segment();
    int secondBlock =
        WalSegmentFormat.SEGMENT_HEADER_BYTES + WalSegmentFormat.encodeBlock(40, FIRST).length;
    for (int at = secondBlock; at < damaged.length; at++) {
      byte[] copy = damaged.clone();
      copy[at] ^= 0x10;
      List<Long> read = new ArrayList<>();

      SegmentRead result =
          WalSegmentFormat.read(
              new ByteArrayInputStream(copy), 40, 0, Long.MAX_VALUE, (seq, line) -> read.add(seq));

      assertEquals(
          new SegmentEnd.Corrupt(secondBlock, ((SegmentEnd.Corrupt) result.end()).detail()),
          result.end(),
          "changed byte " + at);
      assertEquals(List.of(40L, 41L, 42L), read, "changed byte " + at);
    }
  }

  @Test
  void aSegmentOfAnotherFormatIsCorruptAtOffsetZero() throws IOException {
    SegmentRead result =
        WalSegmentFormat.read(
            new ByteArrayInputStream("not a log at all".getBytes()),
            0,
            0,
            Long.MAX_VALUE,
            (seq, line) -> {});

    SegmentEnd.Corrupt corrupt = assertInstanceOf(SegmentEnd.Corrupt.class, result.end());
    assertEquals(0, corrupt.offset());
    assertTrue(corrupt.detail().contains("MRWL"), corrupt.detail());
  }

  private static byte[] segment() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(WalSegmentFormat.segmentHeader());
    out.write(WalSegmentFormat.encodeBlock(40, FIRST));
    out.write(WalSegmentFormat.encodeBlock(43, SECOND));
    return out.toByteArray();
  }
}
