package dev.millrace.runtime.dataset;

import java.util.List;
import java.util.function.Consumer;

/** A narrow operator over a parent: same partitions, each record pushed through the pipe. */
public final class PipeDataset<I, O> extends Dataset<O> {
  private final Dataset<I> parent;
  private final Pipe<I, O> pipe;

  /** {@code pipe} applied to every record of {@code parent}. */
  public PipeDataset(Dataset<I> parent, Pipe<I, O> pipe) {
    this.parent = parent;
    this.pipe = pipe;
  }

  @Override
  public int numPartitions() {
    return parent.numPartitions();
  }

  @Override
  public void compute(int partition, Consumer<? super O> out) {
    parent.compute(partition, pipe.wrap(out));
  }

  @Override
  public List<Dataset<?>> parents() {
    return List.of(parent);
  }
}
