package dev.millrace.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LeaseHolderTest {
  private static final LeaseHolder HOLDER =
      new LeaseHolder(
          12,
          new LeaseClaimant("node-3", "node-3/boot\nid/pid:[1]", 4242, 1_700_000, 5, "uid=wc"),
          1_800_000,
          30_000,
          "attempt 5 of supervisor uid=wc replaces attempt 4");

  @Test
  void aLeaseFileRoundTripsEveryFieldAndReadsAsText() throws Exception {
    byte[] bytes = HOLDER.toBytes();

    assertEquals(HOLDER, LeaseHolder.fromBytes(bytes));
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(text.contains("\npid=4242\n"), text);
    assertTrue(text.endsWith("end=\n"), text);
  }

  @Test
  void aLeaseFileCutShortByItsWriterIsIncompleteNotAnotherHolder() {
    byte[] bytes = HOLDER.toBytes();
    for (int length : new int[] {0, 20, bytes.length - 5}) {
      MalformedFileException e =
          assertThrows(
              MalformedFileException.class,
              () -> LeaseHolder.fromBytes(Arrays.copyOf(bytes, length)));
      assertTrue(
          e.getMessage().contains("incomplete") || e.getMessage().contains("missing"),
          length + ": " + e.getMessage());
    }
  }

  @Test
  void aLeaseFileOfANewerFormatIsNotReadAsThisOne() {
    byte[] newer =
        new String(HOLDER.toBytes(), StandardCharsets.UTF_8)
            .replace("formatVersion=1", "formatVersion=2")
            .getBytes(StandardCharsets.UTF_8);

    MalformedFileException e =
        assertThrows(MalformedFileException.class, () -> LeaseHolder.fromBytes(newer));

    assertTrue(e.getMessage().contains("newer Millrace"), e.getMessage());
  }
}
