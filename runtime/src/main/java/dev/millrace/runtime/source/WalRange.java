package dev.millrace.runtime.source;

import java.nio.ByteBuffer;

/**
 * The records numbered {@code from} (inclusive) to {@code to} (exclusive) of a write-ahead log: the
 * plan of a socket batch. Its bytes, and those of a position (the number of the next record a batch
 * will take), start with a format byte so that a plan from another source is refused, not misread.
 * Pure: no I/O.
 */
record WalRange(long from, long to) {
  private static final byte RANGE_FORMAT = 'R';
  private static final byte POSITION_FORMAT = 'P';

  WalRange {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("record range " + from + " to " + to + " is impossible");
    }
  }

  long size() {
    return to - from;
  }

  byte[] toBytes() {
    return ByteBuffer.allocate(1 + 2 * Long.BYTES)
        .put(RANGE_FORMAT)
        .putLong(from)
        .putLong(to)
        .array();
  }

  /**
   * Decodes {@link #toBytes}.
   *
   * @throws IllegalArgumentException if {@code bytes} are not a range
   */
  static WalRange fromBytes(byte[] bytes) {
    ByteBuffer in = open(bytes, RANGE_FORMAT, 2 * Long.BYTES, "a record range");
    return new WalRange(in.getLong(), in.getLong());
  }

  static byte[] positionBytes(long position) {
    return ByteBuffer.allocate(1 + Long.BYTES).put(POSITION_FORMAT).putLong(position).array();
  }

  /**
   * Decodes {@link #positionBytes}.
   *
   * @throws IllegalArgumentException if {@code bytes} are not a position
   */
  static long position(byte[] bytes) {
    long position = open(bytes, POSITION_FORMAT, Long.BYTES, "a log position").getLong();
    if (position < 0) {
      throw new IllegalArgumentException("log position " + position + " is negative");
    }
    return position;
  }

  private static ByteBuffer open(byte[] bytes, byte format, int bodyBytes, String what) {
    if (bytes == null || bytes.length != 1 + bodyBytes || bytes[0] != format) {
      throw new IllegalArgumentException(
          "expected "
              + what
              + " ("
              + (1 + bodyBytes)
              + " bytes starting with '"
              + (char) format
              + "'), got "
              + (bytes == null ? "null" : bytes.length + " bytes"));
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    in.get();
    return in;
  }
}
