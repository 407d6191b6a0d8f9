package dev.millrace.runtime.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;

/**
 * A whole batch folded into at most one record: {@code count()} (always one record, 0 for an empty
 * batch) and {@code reduce(f)} (no record for an empty batch). Partitions are folded in parallel,
 * then the partial results in partition order.
 */
public final class AggregateDataset<T> extends Dataset<T> implements StageBoundary {
  private Dataset<? extends T> parent;
  private final BinaryOperator<T> reduce;
  private final boolean counting;
  private volatile List<T> result;

  private AggregateDataset(
      Dataset<? extends T> parent, BinaryOperator<T> reduce, boolean counting) {
    this.parent = parent;
    this.reduce = reduce;
    this.counting = counting;
  }

  /** The reduction of every record with {@code f}, or nothing if the batch is empty. */
  public static <T> AggregateDataset<T> reducing(Dataset<? extends T> parent, BinaryOperator<T> f) {
    return new AggregateDataset<>(parent, f, false);
  }

  /** The number of records, as one {@code Long}. */
  public static AggregateDataset<Long> counting(Dataset<?> parent) {
    @SuppressWarnings("unchecked")
    Dataset<Long> any = (Dataset<Long>) parent;
    return new AggregateDataset<>(any, Long::sum, true);
  }

  @Override
  public boolean isMaterialized() {
    return result != null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void materialize(TaskPool runner) {
    int n = parent.numPartitions();
    Object[] partials = new Object[n];
    boolean[] present = new boolean[n];
    runner.runTasks(
        n,
        p -> {
          if (counting) {
            long[] c = {0};
            parent.compute(p, x -> c[0]++);
            partials[p] = c[0];
            present[p] = true;
          } else {
            Object[] acc = {null};
            boolean[] any = {false};
            parent.compute(
                p,
                x -> {
                  acc[0] = any[0] ? reduce.apply((T) acc[0], x) : x;
                  any[0] = true;
                });
            partials[p] = acc[0];
            present[p] = any[0];
          }
        });
    T total = null;
    boolean any = false;
    for (int p = 0; p < n; p++) {
      if (present[p]) {
        total = any ? reduce.apply(total, (T) partials[p]) : (T) partials[p];
        any = true;
      }
    }
    List<T> out = new ArrayList<>(1);
    if (any) {
      out.add(total);
    } else if (counting) {
      out.add((T) Long.valueOf(0));
    }
    result = out;
    parent = null;
  }

  @Override
  public int numPartitions() {
    return 1;
  }

  @Override
  public void compute(int partition, Consumer<? super T> out) {
    result.forEach(out);
  }

  @Override
  public List<Dataset<?>> parents() {
    Dataset<?> p = parent;
    return p == null ? List.of() : List.of(p);
  }
}
