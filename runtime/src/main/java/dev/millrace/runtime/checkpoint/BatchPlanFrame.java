package dev.millrace.runtime.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of a {@code batches/<time>.plan} file: a 16-byte header (magic {@code MRPL}, format
 * version, payload length, CRC32 of the payload) and the payload, so that a truncated or damaged
 * plan is detected instead of replayed. Pure: no I/O.
 */
final class BatchPlanFrame {
  private static final int MAGIC = 0x4d52504c; // "MRPL"
  private static final int VERSION = 1;
  private static final int HEADER_BYTES = 16;

  private BatchPlanFrame() {}

  static byte[] encode(byte[] plan) {
    return ByteBuffer.allocate(HEADER_BYTES + plan.length)
        .putInt(MAGIC)
        .putInt(VERSION)
        .putInt(plan.length)
        .putInt((int) GenerationManifest.crc32(plan))
        .put(plan)
        .array();
  }

  static byte[] decode(byte[] framed) throws MalformedFileException {
    if (framed.length < HEADER_BYTES) {
      throw new MalformedFileException(
          "only " + framed.length + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
    }
    ByteBuffer buffer = ByteBuffer.wrap(framed);
    if (buffer.getInt() != MAGIC) {
      throw new MalformedFileException("it does not start with the plan file magic MRPL");
    }
    int version = buffer.getInt();
    if (version != VERSION) {
      throw new MalformedFileException(
          "plan format version " + version + "; this build reads version " + VERSION);
    }
    int length = buffer.getInt();
    int crc = buffer.getInt();
    if (length != buffer.remaining()) {
      throw new MalformedFileException(
          "the header says " + length + " payload bytes, the file has " + buffer.remaining());
    }
    byte[] plan = Arrays.copyOfRange(framed, HEADER_BYTES, framed.length);
    if ((int) GenerationManifest.crc32(plan) != crc) {
      throw new MalformedFileException("the payload's CRC32 does not match the header");
    }
    return plan;
  }
}
