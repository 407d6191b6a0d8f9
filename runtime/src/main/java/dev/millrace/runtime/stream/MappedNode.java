package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.streaming.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A stream whose batch is a function of its parent's batch at the same time: every narrow
 * operator, every per-batch shuffle (reduceByKey, groupByKey, repartition), and transform.
 */
public final class MappedNode<I, O> extends StreamNode<O> {
  private final StreamNode<I> parent;
  private final Function<Dataset<I>, Dataset<O>> perBatch;

  /** Applies {@code perBatch} to each batch of {@code parent}. */
  public MappedNode(
      StreamNode<I> parent, String operation, Function<Dataset<I>, Dataset<O>> perBatch) {
    super(parent.graph, operation);
    this.parent = parent;
    this.perBatch = perBatch;
  }

  @Override
  public Duration slide() {
    return parent.slide();
  }

  @Override
  public List<StreamNode<?>> parents() {
    return List.of(parent);
  }

  @Override
  protected Dataset<O> compute(long time) {
    Dataset<I> in = parent.getOrCompute(time);
    return in == null ? null : perBatch.apply(in);
  }
}
