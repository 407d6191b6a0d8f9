package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.source.WalSegmentFormat.Payload;
import dev.millrace.runtime.source.WalSegmentFormat.SegmentEnd;
import dev.millrace.runtime.source.WalSegmentFormat.SegmentRead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
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

  @Test
  void aVersionOneSegmentWrittenByEarlierBuildsReadsBackAsItsLines() throws IOException {
    // The bytes an earlier build's socket stream wrote, spelled out rather than encoded by this
    // build, so that the format a checkpoint already holds cannot drift unnoticed.
    byte[] payload = {0, 0, 0, 2, 'h', 'i', 0, 0, 0, 0};
    CRC32C payloadCrc = new CRC32C();
    payloadCrc.update(payload);
    ByteBuffer header = ByteBuffer.allocate(24).putLong(7).putInt(2).putInt(payload.length);
    header.putInt((int) payloadCrc.getValue());
    CRC32C headerCrc = new CRC32C();
    headerCrc.update(header.array(), 0, 20);
    header.putInt((int) headerCrc.getValue());
    ByteArrayOutputStream v1 = new ByteArrayOutputStream();
    v1.write(new byte[] {'M', 'R', 'W', 'L', 0, 0, 0, 1});
    v1.write(header.array());
    v1.write(payload);
    List<Object> read = new ArrayList<>();

    SegmentRead result =
        WalSegmentFormat.read(
            new ByteArrayInputStream(v1.toByteArray()),
            7,
            0,
            Long.MAX_VALUE,
            (seq, record) -> read.add(seq + ":" + record));

    assertEquals(List.of("7:hi", "8:"), read);
    assertEquals(new SegmentRead(9, v1.size(), new SegmentEnd.Clean()), result);
    assertArrayEquals(v1.toByteArray(), linesSegmentOf(7, List.of("hi", "")));
  }

  @Test
  void aVersionTwoSegmentReadsBackRecordsOfAnyTypeInOrderWithTheirNumbers() throws IOException {
    List<Object> first = List.of(1L, "two", List.of(3, 4));
    List<Object> second = Arrays.asList(null, new Point(5, 6));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Payload.RECORDS.segmentHeader());
    out.write(Payload.RECORDS.encodeBlock(10, first));
    out.write(Payload.RECORDS.encodeBlock(13, second));
    List<String> read = new ArrayList<>();

    SegmentRead result =
        WalSegmentFormat.read(
            new ByteArrayInputStream(out.toByteArray()),
            10,
            11,
            Long.MAX_VALUE,
            (seq, record) -> read.add(seq + ":" + record));

    assertEquals(List.of("11:two", "12:[3, 4]", "13:null", "14:Point[x=5, y=6]"), read);
    assertEquals(new SegmentRead(15, out.size(), new SegmentEnd.Clean()), result);
  }

  @Test
  void aVersionTwoSegmentCutShortIsTornAndAChangedByteIsCorruptAfterItsLastGoodBlock()
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Payload.RECORDS.segmentHeader());
    out.write(Payload.RECORDS.encodeBlock(0, List.of(1, 2)));
    int secondBlock = out.size();
    out.write(Payload.RECORDS.encodeBlock(2, List.of("three")));
    byte[] whole = out.toByteArray();

    for (int length = secondBlock + 1; length < whole.length; length++) {
      SegmentRead torn =
          WalSegmentFormat.read(
              new ByteArrayInputStream(Arrays.copyOf(whole, length)),
              0,
              0,
              Long.MAX_VALUE,
              (seq, record) -> {});
      assertInstanceOf(SegmentEnd.Torn.class, torn.end(), "cut at " + length);
      assertEquals(2, torn.endSeq(), "cut at " + length);
    }
    for (int at = secondBlock; at < whole.length; at++) {
      byte[] copy = whole.clone();
      copy[at] ^= 0x10;
      List<Long> read = new ArrayList<>();
      SegmentRead corrupt =
          WalSegmentFormat.read(
              new ByteArrayInputStream(copy), 0, 0, Long.MAX_VALUE, (seq, r) -> read.add(seq));
      assertInstanceOf(SegmentEnd.Corrupt.class, corrupt.end(), "changed byte " + at);
      assertEquals(List.of(0L, 1L), read, "changed byte " + at);
    }
  }

  /** A record type of the application's, as a receiver would store. */
  record Point(int x, int y) {}

  private static byte[] linesSegmentOf(long firstSeq, List<String> lines) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Payload.LINES.segmentHeader());
    out.write(Payload.LINES.encodeBlock(firstSeq, lines));
    return out.toByteArray();
  }

  private static byte[] segment() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(WalSegmentFormat.segmentHeader());
    out.write(WalSegmentFormat.encodeBlock(40, FIRST));
    out.write(WalSegmentFormat.encodeBlock(43, SECOND));
    return out.toByteArray();
  }
}
