package dev.millrace.runtime.batch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * What one batch took as input: its time and each input stream's own plan (file names, log offsets,
 * or the records themselves), in the graph's input order. Built once when the batch is generated;
 * the batch log stores it, the scheduler queues it, a recovery replays it and executors rebuild a
 * map task's input from it, all from this one value.
 *
 * <p>Immutable: the list is copied, and the arrays are never written after construction (they are
 * shared, not copied, as they can be the size of a batch).
 *
 * <p>{@link #toLogBytes} is the format of a {@code batches/<time>.plan} file: a 16-byte header
 * (magic {@code MRPL}, format version, payload length, CRC32 of the payload), so that a truncated
 * or damaged plan is detected instead of replayed, then the input count and each input's plan with
 * its length.
 *
 * @param batchTime the batch time (epoch milliseconds)
 * @param inputPlans each input's plan, in the graph's input order
 */
public record BatchPlan(long batchTime, List<byte[]> inputPlans) {
  private static final int MAGIC = 0x4d52504c; // "MRPL"
  private static final int VERSION = 1;
  private static final int HEADER_BYTES = 16;

  /** Copies the list; rejects a null plan. */
  public BatchPlan {
    inputPlans = List.copyOf(inputPlans);
  }

  /** The plan of the {@code i}-th input stream. */
  public byte[] inputPlan(int i) {
    return inputPlans.get(i);
  }

  /** The bytes of this plan's file in the batch log. */
  public byte[] toLogBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(inputPlans.size());
      for (byte[] plan : inputPlans) {
        out.writeInt(plan.length);
        out.write(plan);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] payload = bytes.toByteArray();
    return ByteBuffer.allocate(HEADER_BYTES + payload.length)
        .putInt(MAGIC)
        .putInt(VERSION)
        .putInt(payload.length)
        .putInt((int) crc32(payload))
        .put(payload)
        .array();
  }

  /**
   * The plan of batch {@code batchTime} read back from the bytes of its file in the batch log.
   *
   * @throws MalformedPlanException if the bytes are truncated, damaged or of another format
   */
  public static BatchPlan fromLogBytes(long batchTime, byte[] framed)
      throws MalformedPlanException {
    if (framed.length < HEADER_BYTES) {
      throw new MalformedPlanException(
          "only " + framed.length + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
    }
    ByteBuffer buffer = ByteBuffer.wrap(framed);
    if (buffer.getInt() != MAGIC) {
      throw new MalformedPlanException("it does not start with the plan file magic MRPL");
    }
    int version = buffer.getInt();
    if (version != VERSION) {
      throw new MalformedPlanException(
          "plan format version " + version + "; this build reads version " + VERSION);
    }
    int length = buffer.getInt();
    int crc = buffer.getInt();
    if (length != buffer.remaining()) {
      throw new MalformedPlanException(
          "the header says " + length + " payload bytes, the file has " + buffer.remaining());
    }
    byte[] payload = Arrays.copyOfRange(framed, HEADER_BYTES, framed.length);
    if ((int) crc32(payload) != crc) {
      throw new MalformedPlanException("the payload's CRC32 does not match the header");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      int count = in.readInt();
      if (count < 0) {
        throw new MalformedPlanException("it claims " + count + " input plans");
      }
      byte[][] plans = new byte[count][];
      for (int i = 0; i < count; i++) {
        int planLength = in.readInt();
        if (planLength < 0 || planLength > in.available()) {
          throw new MalformedPlanException("input " + i + " claims " + planLength + " bytes");
        }
        plans[i] = in.readNBytes(planLength);
      }
      return new BatchPlan(batchTime, Arrays.asList(plans));
    } catch (IOException e) {
      throw new MalformedPlanException("its input plans cannot be read: " + e.getMessage());
    }
  }

  private static long crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof BatchPlan that)
        || batchTime != that.batchTime
        || inputPlans.size() != that.inputPlans.size()) {
      return false;
    }
    for (int i = 0; i < inputPlans.size(); i++) {
      if (!Arrays.equals(inputPlans.get(i), that.inputPlans.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = Long.hashCode(batchTime);
    for (byte[] plan : inputPlans) {
      hash = 31 * hash + Arrays.hashCode(plan);
    }
    return hash;
  }

  @Override
  public String toString() {
    return "BatchPlan[batchTime="
        + batchTime
        + ", inputPlans="
        + inputPlans.stream().map(p -> p.length + " bytes").toList()
        + "]";
  }
}
