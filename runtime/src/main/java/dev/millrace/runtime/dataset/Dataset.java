package dev.millrace.runtime.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One batch of one stream inside the engine: records split into partitions, computed lazily.
 *
 * <p>Narrow operators ({@link PipeDataset}) do no work of their own: computing a partition pushes
 * each record of the source partition through the whole chain of user functions in one pass, with
 * no intermediate collection. Datasets that need all of their input before producing anything
 * (shuffles, caches, state) are {@link StageBoundary stage boundaries}; {@code TaskRunner.prepare}
 * materializes them, in parallel, before any task reads them.
 *
 * @param <T> record type
 */
public abstract class Dataset<T> {

  /** How many partitions this dataset has. */
  public abstract int numPartitions();

  /**
   * Pushes the records of {@code partition}, in order, into {@code out}. Called on task threads;
   * every boundary this dataset depends on is already prepared. Calling it again pushes the same
   * records again.
   */
  public abstract void compute(int partition, Consumer<? super T> out);

  /**
   * The datasets this one reads, which must be prepared first; empty once it holds its own data.
   */
  public abstract List<Dataset<?>> parents();

  /** All records of {@code partition}, computed on the calling thread. */
  public List<T> collectPartition(int partition) {
    List<T> out = new ArrayList<>();
    compute(partition, out::add);
    return out;
  }
}
