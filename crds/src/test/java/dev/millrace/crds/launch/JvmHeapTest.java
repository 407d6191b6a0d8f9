package dev.millrace.crds.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JvmHeapTest {

  @Test
  void aGibibyteContainerLeaves384MibOutsideTheHeap() {
    assertEquals(640, JvmHeap.mebibytes("1Gi"));
    assertEquals("-Xmx640m", JvmHeap.option("1Gi"));
  }

  @Test
  void aLargeContainerLeavesATenthOutsideTheHeap() {
    assertEquals(4096 - 409, JvmHeap.mebibytes("4Gi"));
    assertEquals(16384 - 1638, JvmHeap.mebibytes("16Gi"));
  }

  @Test
  void aSmallContainerKeepsHalfOfItsMemoryAsHeap() {
    assertEquals(128, JvmHeap.mebibytes("256Mi"));
    assertEquals(256, JvmHeap.mebibytes("512Mi"));
    assertEquals(384, JvmHeap.mebibytes("768Mi"));
  }

  @Test
  void decimalUnitsAreRoundedDownToWholeMebibytes() {
    // 2G = 1907.3 MiB: 1907 - 384.
    assertEquals(1523, JvmHeap.mebibytes("2G"));
  }

  @Test
  void theHeapIsAlwaysSmallerThanTheContainer() {
    for (int mib = 256; mib <= 64 * 1024; mib += 128) {
      long heap = JvmHeap.mebibytes(mib + "Mi");
      assertTrue(heap < mib && heap >= mib / 2, mib + " MiB gives a heap of " + heap);
    }
  }

  @Test
  void somethingThatIsNotAMemorySizeIsRefusedWithTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JvmHeap.mebibytes("lots"));
    assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
  }
}
