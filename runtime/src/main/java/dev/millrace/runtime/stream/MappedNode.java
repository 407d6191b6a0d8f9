package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.streaming.Duration;
import java.util.List;

/**
 * A stream whose batch is a function of its parent's batch at the same time: every narrow operator,
 * every per-batch shuffle (reduceByKey, groupByKey, repartition), and transform.
 */
public final class MappedNode<I, O> extends StreamNode<O> {
  private final StreamNode<I> parent;
  private final PerBatch<I, O> perBatch;

  /** Applies {@code perBatch} to each batch of {@code parent}. */
  public MappedNode(StreamNode<I> parent, String operation, PerBatch<I, O> perBatch) {
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
    return in == null ? null : perBatch.apply(in, time);
  }

  /** The dataset of one batch made from the parent's dataset of the same batch. */
  @FunctionalInterface
  public interface PerBatch<I, O> {
    /** The output for batch {@code time} given the parent's {@code in}. */
    Dataset<O> apply(Dataset<I> in, long time);
  }
}
