package dev.millrace.runtime.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A dataset computed once and kept in memory: {@code persist()}, and the parent of every window,
 * which several windows read.
 */
public final class CachedDataset<T> extends Dataset<T> implements StageBoundary {
  private Dataset<T> parent;
  private final int partitions;
  private volatile List<List<T>> result;

  /** Caches {@code parent}. */
  public CachedDataset(Dataset<T> parent) {
    this.parent = parent;
    this.partitions = parent.numPartitions();
  }

  @Override
  public boolean isMaterialized() {
    return result != null;
  }

  @Override
  public void materialize(TaskPool runner) {
    List<List<T>> parts = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      parts.add(null);
    }
    runner.runTasks(partitions, p -> parts.set(p, parent.collectPartition(p)));
    result = parts;
    parent = null;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public void compute(int partition, Consumer<? super T> out) {
    List<T> part = result.get(partition);
    for (int i = 0, n = part.size(); i < n; i++) {
      out.accept(part.get(i));
    }
  }

  @Override
  public List<Dataset<?>> parents() {
    Dataset<?> p = parent;
    return p == null ? List.of() : List.of(p);
  }
}
