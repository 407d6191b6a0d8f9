package dev.millrace.runtime.shuffle;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.StageBoundary;
import dev.millrace.runtime.dataset.TaskPool;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Spreads records evenly over {@code n} partitions, round robin, keeping every record exactly once;
 * each map task starts at a different partition so small inputs spread too.
 */
public final class RepartitionDataset<T> extends Dataset<T> implements StageBoundary {
  private Dataset<? extends T> parent;
  private final int partitions;
  private volatile List<List<T>> result;

  /** {@code parent}'s records spread over {@code partitions} partitions. */
  public RepartitionDataset(Dataset<? extends T> parent, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "repartition needs at least 1 partition, got " + partitions);
    }
    this.parent = parent;
    this.partitions = partitions;
  }

  @Override
  public boolean isMaterialized() {
    return result != null;
  }

  @Override
  public void materialize(TaskPool runner) {
    int maps = parent.numPartitions();
    List<List<List<T>>> buckets = new ArrayList<>(maps);
    for (int m = 0; m < maps; m++) {
      buckets.add(null);
    }
    runner.runTasks(
        maps,
        m -> {
          List<List<T>> mine = new ArrayList<>(partitions);
          for (int r = 0; r < partitions; r++) {
            mine.add(new ArrayList<>());
          }
          int[] next = {m % partitions};
          parent.compute(
              m,
              x -> {
                mine.get(next[0]).add(x);
                next[0] = next[0] + 1 == partitions ? 0 : next[0] + 1;
              });
          buckets.set(m, mine);
        });
    List<List<T>> out = new ArrayList<>(partitions);
    for (int r = 0; r < partitions; r++) {
      List<T> part = new ArrayList<>();
      for (List<List<T>> b : buckets) {
        part.addAll(b.get(r));
      }
      out.add(part);
    }
    result = out;
    parent = null;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public void compute(int partition, Consumer<? super T> out) {
    result.get(partition).forEach(out);
  }

  @Override
  public List<Dataset<?>> parents() {
    Dataset<?> p = parent;
    return p == null ? List.of() : List.of(p);
  }
}
