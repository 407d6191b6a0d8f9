package dev.millrace.runtime.source;

import dev.millrace.runtime.codec.RecordCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of a write-ahead log segment, {@code sources/<sourceId>/<first sequence number>.wal}:
 *
 * <pre>
 * segment = magic "MRWL" (4 bytes), format version (int 1 or 2), block*
 * block   = first sequence number (long), record count (int), payload length (int),
 *           payload CRC32C (int), header CRC32C (int, of the 20 bytes before it), payload
 * payload = version 1 ({@link Payload#LINES}): record*, each a UTF-8 length (int) and that many
 *           bytes of UTF-8 text
 *         | version 2 ({@link Payload#RECORDS}): the block's records as one list encoded by
 *           {@link RecordCodec#standard()}
 * </pre>
 *
 * <p>Version 1 holds the lines of socket text streams, as every build before receivers of other
 * types wrote it, and stays their format: a line costs no codec tag and is decoded straight from
 * the payload. Version 2 holds the records of an application's own receivers, of any type the codec
 * encodes. A segment says its version, so a log whose writer changed format between runs reads back
 * every segment as it was written.
 *
 * <p>Integers are big-endian. Every record (a received line) has a sequence number, counting from 0
 * over the whole log; a segment's blocks number their records contiguously from the number in the
 * segment's name. A block is written whole and flushed before its lines are handed to any batch, so
 * a crash can only leave a <em>torn</em> last block: a prefix of its bytes, whose lines were never
 * handed over. A block whose bytes are all there but whose CRCs or numbering disagree is
 * <em>corrupt</em>: the file changed after it was written.
 *
 * <p>Pure: reads only the stream it is handed.
 */
final class WalSegmentFormat {
  static final String SUFFIX = ".wal";
  static final int SEGMENT_HEADER_BYTES = 8;
  static final int BLOCK_HEADER_BYTES = 24;

  private static final int MAGIC = 0x4d52574c; // "MRWL"

  private WalSegmentFormat() {}

  /** How a block's payload holds its records; the segment's format version says which. */
  enum Payload {
    /** Version 1: UTF-8 lines, each after its length. Records are strings. */
    LINES(1),
    /** Version 2: one list of any records, encoded by {@link RecordCodec#standard()}. */
    RECORDS(2);

    private final int version;

    Payload(int version) {
      this.version = version;
    }

    int version() {
      return version;
    }

    static Payload ofVersion(int version) {
      for (Payload payload : values()) {
        if (payload.version == version) {
          return payload;
        }
      }
      return null;
    }

    /** One block holding {@code records}, numbered from {@code firstSeq}. */
    @SuppressWarnings("unchecked")
    byte[] encodeBlock(long firstSeq, List<?> records) {
      return this == LINES
          ? WalSegmentFormat.encodeBlock(firstSeq, (List<String>) records)
          : encodeRecordBlock(firstSeq, records);
    }

    /** The header a segment of this payload starts with. */
    byte[] segmentHeader() {
      return ByteBuffer.allocate(SEGMENT_HEADER_BYTES).putInt(MAGIC).putInt(version).array();
    }
  }

  /** What {@link #read} found where it stopped reading a segment. */
  sealed interface SegmentEnd {
    /** The end of the file at a block boundary, or the last wanted record. */
    record Clean() implements SegmentEnd {}

    /** The file ends inside the block at {@code offset}: a write the crash cut short. */
    record Torn(long offset, String detail) implements SegmentEnd {}

    /** The block at {@code offset} is all there but damaged. */
    record Corrupt(long offset, String detail) implements SegmentEnd {}
  }

  /**
   * How far {@link #read} got: the sequence number after the last good record it read, the offset
   * after that record's block, and why it stopped.
   */
  record SegmentRead(long endSeq, long endOffset, SegmentEnd end) {}

  /**
   * Receives the records {@link #read} was asked for, in sequence order: strings from a version 1
   * segment, whatever the receiver stored from a version 2 one.
   */
  @FunctionalInterface
  interface RecordSink<T> {
    void accept(long seq, T record);
  }

  /** The header of a version 1 segment ({@link Payload#LINES}). */
  static byte[] segmentHeader() {
    return Payload.LINES.segmentHeader();
  }

  /** One version 1 block holding {@code lines}, numbered from {@code firstSeq}. */
  static byte[] encodeBlock(long firstSeq, List<String> lines) {
    byte[][] encoded = new byte[lines.size()][];
    int payloadLength = 0;
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = lines.get(i).getBytes(StandardCharsets.UTF_8);
      payloadLength = Math.addExact(payloadLength, Integer.BYTES + encoded[i].length);
    }
    ByteBuffer block = ByteBuffer.allocate(Math.addExact(BLOCK_HEADER_BYTES, payloadLength));
    block.position(BLOCK_HEADER_BYTES);
    for (byte[] record : encoded) {
      block.putInt(record.length).put(record);
    }
    CRC32C payloadCrc = new CRC32C();
    payloadCrc.update(block.array(), BLOCK_HEADER_BYTES, payloadLength);
    block
        .position(0)
        .putLong(firstSeq)
        .putInt(lines.size())
        .putInt(payloadLength)
        .putInt((int) payloadCrc.getValue());
    block.putInt(headerCrc(block.array()));
    return block.array();
  }

  /** One version 2 block holding {@code records}, numbered from {@code firstSeq}. */
  static byte[] encodeRecordBlock(long firstSeq, List<?> records) {
    byte[] payload = RecordCodec.standard().encode(records);
    CRC32C payloadCrc = new CRC32C();
    payloadCrc.update(payload);
    ByteBuffer block = ByteBuffer.allocate(Math.addExact(BLOCK_HEADER_BYTES, payload.length));
    block
        .putLong(firstSeq)
        .putInt(records.size())
        .putInt(payload.length)
        .putInt((int) payloadCrc.getValue());
    block.putInt(headerCrc(block.array()));
    block.put(payload);
    return block.array();
  }

  /**
   * Reads the segment {@code in}, whose first record is {@code firstSeq}, handing {@code sink} the
   * records numbered from {@code from} (inclusive) to {@code to} (exclusive), and stops at the end
   * of the file, at a torn or corrupt block, or once no wanted record can follow.
   *
   * @throws IOException if the stream cannot be read (not for damaged content, which ends the read)
   * @throws dev.millrace.runtime.codec.RecordCodecException if a version 2 record names a class
   *     this process does not have
   */
  static <T> SegmentRead read(InputStream in, long firstSeq, long from, long to, RecordSink<T> sink)
      throws IOException {
    byte[] header = in.readNBytes(SEGMENT_HEADER_BYTES);
    if (header.length < SEGMENT_HEADER_BYTES) {
      return torn(firstSeq, 0, "the file ends inside the " + SEGMENT_HEADER_BYTES + "-byte header");
    }
    ByteBuffer head = ByteBuffer.wrap(header);
    int magic = head.getInt();
    int version = head.getInt();
    if (magic != MAGIC) {
      return corrupt(firstSeq, 0, "it does not start with the write-ahead log magic MRWL");
    }
    Payload payload = Payload.ofVersion(version);
    if (payload == null) {
      return corrupt(
          firstSeq, 0, "it has format version " + version + "; this build reads versions 1 and 2");
    }
    int minRecordBytes = payload == Payload.LINES ? Integer.BYTES : 0;
    long seq = firstSeq;
    long offset = SEGMENT_HEADER_BYTES;
    while (seq < to) {
      byte[] blockHeader = in.readNBytes(BLOCK_HEADER_BYTES);
      if (blockHeader.length == 0) {
        break;
      }
      if (blockHeader.length < BLOCK_HEADER_BYTES) {
        return torn(
            seq,
            offset,
            "the file ends "
                + blockHeader.length
                + " bytes into the "
                + BLOCK_HEADER_BYTES
                + "-byte block header");
      }
      ByteBuffer h = ByteBuffer.wrap(blockHeader);
      long blockSeq = h.getLong();
      int count = h.getInt();
      int payloadLength = h.getInt();
      int payloadCrc = h.getInt();
      int storedHeaderCrc = h.getInt();
      if (storedHeaderCrc != headerCrc(blockHeader)) {
        return corrupt(seq, offset, "the block header's CRC32C does not match");
      }
      if (blockSeq != seq
          || count < 1
          || payloadLength < 1
          || payloadLength < (long) count * minRecordBytes) {
        return corrupt(
            seq,
            offset,
            "the block header says records "
                + blockSeq
                + " (+"
                + count
                + ") in "
                + payloadLength
                + " bytes where record "
                + seq
                + " was due");
      }
      byte[] bytes = in.readNBytes(payloadLength);
      if (bytes.length < payloadLength) {
        return torn(
            seq,
            offset,
            "the file ends "
                + bytes.length
                + " bytes into the block's "
                + payloadLength
                + "-byte payload");
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      if ((int) crc.getValue() != payloadCrc) {
        return corrupt(seq, offset, "the payload's CRC32C does not match");
      }
      int delivered =
          payload == Payload.LINES
              ? deliver(bytes, count, seq, from, to, sink)
              : deliverRecords(bytes, count, seq, from, to, sink);
      if (delivered < 0) {
        return corrupt(
            seq, offset, "the payload does not hold the " + count + " records its header counts");
      }
      seq += delivered;
      offset += BLOCK_HEADER_BYTES + payloadLength;
    }
    return new SegmentRead(seq, offset, new SegmentEnd.Clean());
  }

  /**
   * Hands over the block's records in {@code [from, to)}; returns how many records of the block
   * were passed (all of them unless {@code to} fell inside it), or -1 if the payload is malformed.
   */
  @SuppressWarnings("unchecked")
  private static <T> int deliver(
      byte[] payload, int count, long firstSeq, long from, long to, RecordSink<T> sink) {
    ByteBuffer records = ByteBuffer.wrap(payload);
    boolean wanted = firstSeq + count > from;
    for (int i = 0; i < count; i++) {
      long seq = firstSeq + i;
      if (seq >= to) {
        return i;
      }
      if (records.remaining() < Integer.BYTES) {
        return -1;
      }
      int length = records.getInt();
      if (length < 0 || length > records.remaining()) {
        return -1;
      }
      if (wanted && seq >= from) {
        sink.accept(
            seq, (T) new String(payload, records.position(), length, StandardCharsets.UTF_8));
      }
      records.position(records.position() + length);
    }
    return records.hasRemaining() ? -1 : count;
  }

  /** {@link #deliver} for a version 2 payload: one codec-encoded list of {@code count} records. */
  @SuppressWarnings("unchecked")
  private static <T> int deliverRecords(
      byte[] payload, int count, long firstSeq, long from, long to, RecordSink<T> sink) {
    // Past the CRC the bytes are as written: a record that does not decode names a class this
    // process lacks, which the codec's exception says; it is no damage to read past.
    List<Object> records = RecordCodec.standard().decode(payload);
    if (records.size() != count) {
      return -1;
    }
    for (int i = 0; i < count; i++) {
      long seq = firstSeq + i;
      if (seq >= to) {
        return i;
      }
      if (seq >= from) {
        sink.accept(seq, (T) records.get(i));
      }
    }
    return count;
  }

  private static SegmentRead torn(long seq, long offset, String detail) {
    return new SegmentRead(seq, offset, new SegmentEnd.Torn(offset, detail));
  }

  private static SegmentRead corrupt(long seq, long offset, String detail) {
    return new SegmentRead(seq, offset, new SegmentEnd.Corrupt(offset, detail));
  }

  private static int headerCrc(byte[] blockHeader) {
    CRC32C crc = new CRC32C();
    crc.update(blockHeader, 0, BLOCK_HEADER_BYTES - Integer.BYTES);
    return (int) crc.getValue();
  }
}
