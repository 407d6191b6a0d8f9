package dev.millrace.runtime.batch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class BatchPlanTest {

  /**
   * The bytes of a plan file as the build before BatchPlan wrote them (BatchPlanFrame around
   * recovery.BatchPlan's payload), spelled out here so that a change to the format fails this test.
   */
  private static byte[] writtenTheEarlierWay(List<byte[]> inputPlans) {
    int payloadLength = 4;
    for (byte[] plan : inputPlans) {
      payloadLength += 4 + plan.length;
    }
    ByteBuffer payload = ByteBuffer.allocate(payloadLength).putInt(inputPlans.size());
    for (byte[] plan : inputPlans) {
      payload.putInt(plan.length).put(plan);
    }
    CRC32 crc = new CRC32();
    crc.update(payload.array());
    return ByteBuffer.allocate(16 + payloadLength)
        .putInt(0x4d52504c)
        .putInt(1)
        .putInt(payloadLength)
        .putInt((int) crc.getValue())
        .put(payload.array())
        .array();
  }

  @Test
  void aPlanFileWrittenByTheEarlierBuildReadsBackAsTheSamePlan() throws Exception {
    List<byte[]> inputs = List.of("files a b".getBytes(UTF_8), new byte[0], new byte[] {7});

    BatchPlan read = BatchPlan.fromLogBytes(3000, writtenTheEarlierWay(inputs));

    assertEquals(new BatchPlan(3000, inputs), read);
  }

  @Test
  void aPlanIsWrittenExactlyAsTheEarlierBuildWroteIt() {
    List<byte[]> inputs = List.of("files a b".getBytes(UTF_8), new byte[] {1, 2});

    assertArrayEquals(writtenTheEarlierWay(inputs), new BatchPlan(1000, inputs).toLogBytes());
  }

  @Test
  void aTruncatedPlanFileIsMalformedAndSaysWhy() {
    byte[] whole = new BatchPlan(1000, List.of("x".getBytes(UTF_8))).toLogBytes();
    byte[] truncated = Arrays.copyOf(whole, whole.length - 1);

    MalformedPlanException e =
        assertThrows(MalformedPlanException.class, () -> BatchPlan.fromLogBytes(1000, truncated));

    assertTrue(e.getMessage().contains("payload bytes"), e.getMessage());
  }

  @Test
  void aFlippedByteFailsTheChecksum() {
    byte[] bytes = new BatchPlan(1000, List.of("abc".getBytes(UTF_8))).toLogBytes();
    bytes[bytes.length - 1] ^= 1;

    MalformedPlanException e =
        assertThrows(MalformedPlanException.class, () -> BatchPlan.fromLogBytes(1000, bytes));

    assertTrue(e.getMessage().contains("CRC32"), e.getMessage());
  }
}
