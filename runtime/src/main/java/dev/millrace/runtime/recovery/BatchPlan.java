package dev.millrace.runtime.recovery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of one batch as the batch log stores it: each input's own plan, in the graph's input
 * order. The log's frame already carries a length and checksum; this only splits the inputs.
 */
final class BatchPlan {
  private BatchPlan() {}

  static byte[] encode(List<byte[]> inputPlans) {
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
    return bytes.toByteArray();
  }

  /**
   * The input plans of {@code plan}.
   *
   * @throws CheckpointIncompatibleException if it does not hold exactly {@code inputs} plans
   */
  static List<byte[]> decode(byte[] plan, int inputs, long batchTime) {
    List<byte[]> plans = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plan))) {
      int count = in.readInt();
      if (count != inputs) {
        throw new CheckpointIncompatibleException(
            "the logged plan of batch "
                + batchTime
                + " covers "
                + count
                + " input streams but the application defines "
                + inputs
                + "; run the build that wrote the checkpoint, or start from an empty checkpoint"
                + " directory");
      }
      for (int i = 0; i < count; i++) {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
          throw new IOException("input " + i + " claims " + length + " bytes");
        }
        plans.add(in.readNBytes(length));
      }
    } catch (IOException e) {
      throw new CheckpointIncompatibleException(
          "the logged plan of batch " + batchTime + " cannot be decoded: " + e.getMessage());
    }
    return plans;
  }
}
