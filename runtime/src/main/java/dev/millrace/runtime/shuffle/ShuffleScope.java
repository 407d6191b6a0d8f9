package dev.millrace.runtime.shuffle;

/**
 * Hands out {@link ShuffleId}s to the shuffles a stream node creates while it computes one batch.
 *
 * <p>A thread-local stack: a node's compute may compute its parents first, each in a scope of its
 * own, and the counter of the outer node continues after them. Shuffles created outside any scope
 * (inside a stage boundary's materialize, or in tests) have no id and always run where they are.
 */
public final class ShuffleScope implements AutoCloseable {
  private static final ThreadLocal<ShuffleScope> CURRENT = new ThreadLocal<>();

  private final int nodeId;
  private final long batchTime;
  private final ShuffleScope outer;
  private int created;

  private ShuffleScope(int nodeId, long batchTime, ShuffleScope outer) {
    this.nodeId = nodeId;
    this.batchTime = batchTime;
    this.outer = outer;
  }

  /** Opens the scope of node {@code nodeId} computing batch {@code batchTime} on this thread. */
  public static ShuffleScope enter(int nodeId, long batchTime) {
    ShuffleScope scope = new ShuffleScope(nodeId, batchTime, CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /** The id of a shuffle created now on this thread, or null outside any scope. */
  static ShuffleId next() {
    ShuffleScope scope = CURRENT.get();
    return scope == null ? null : new ShuffleId(scope.nodeId, scope.batchTime, scope.created++);
  }

  /** Returns to the enclosing scope. */
  @Override
  public void close() {
    if (outer == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(outer);
    }
  }
}
