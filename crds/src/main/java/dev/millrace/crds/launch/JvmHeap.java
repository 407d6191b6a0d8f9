package dev.millrace.crds.launch;

import dev.millrace.crds.SpecMemory;

/**
 * How much of a process's memory ({@code driver.memory}, {@code executor.memory}, the YARN
 * ApplicationMaster's) is Java heap, one rule for every backend: the memory is the container's
 * limit (a YARN container, a pod's limit, and the same on one machine), and a JVM needs room beyond
 * its heap for metaspace, the JIT's code cache, the garbage collector's structures, thread stacks
 * and direct buffers. A heap that fills the container gets the container killed (YARN's exit status
 * -104, Kubernetes' OOMKilled) instead of a Java {@code OutOfMemoryError}.
 *
 * <p>The heap is the memory less a headroom of {@value #MIN_HEADROOM_MIB} MiB or a tenth of the
 * memory, whichever is larger (Spark's {@code memoryOverhead} rule, there added on top of the
 * heap), but never less than half of the memory, so that a small container keeps a usable heap. A
 * driver and an executor of the file word count measured here with Native Memory Tracking commit
 * 113-117 MiB outside a 768 MiB heap after a minute of batches (G1 structures about 45 MiB,
 * metaspace and class space about 35 MiB, code cache 15 MiB), so 384 MiB leaves room for the code
 * cache and threads a long run adds.
 */
public final class JvmHeap {
  /** The least room left outside the heap, unless that would take more than half the memory. */
  public static final long MIN_HEADROOM_MIB = 384;

  private static final long MIB = 1 << 20;

  private JvmHeap() {}

  /**
   * The heap, in mebibytes, of a process limited to {@code memory} (a spec quantity such as {@code
   * 1Gi}): {@code 1Gi} gives 640, {@code 512Mi} 256, {@code 4Gi} 3687.
   *
   * @throws IllegalArgumentException if {@code memory} is not a memory quantity
   */
  public static long mebibytes(String memory) {
    long total = SpecMemory.bytes(memory) / MIB;
    long headroom = Math.max(MIN_HEADROOM_MIB, total / 10);
    return Math.max(total - headroom, total / 2);
  }

  /** The JVM option that sets this heap, e.g. {@code -Xmx640m}. */
  public static String option(String memory) {
    return "-Xmx" + mebibytes(memory) + "m";
  }
}
