package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.streaming.Duration;
import java.util.List;
import java.util.function.BiFunction;

/** A stream combining two streams batch by batch: join, leftOuterJoin, cogroup. */
public final class ZippedNode<A, B, O> extends StreamNode<O> {
  private final StreamNode<A> left;
  private final StreamNode<B> right;
  private final BiFunction<Dataset<A>, Dataset<B>, Dataset<O>> perBatch;

  /** Applies {@code perBatch} to the batches of {@code left} and {@code right} at each time. */
  public ZippedNode(
      StreamNode<A> left,
      StreamNode<B> right,
      String operation,
      BiFunction<Dataset<A>, Dataset<B>, Dataset<O>> perBatch) {
    super(StreamGraph.requireSameSlide(operation, left, right), operation);
    this.left = left;
    this.right = right;
    this.perBatch = perBatch;
  }

  @Override
  public Duration slide() {
    return left.slide();
  }

  @Override
  public List<StreamNode<?>> parents() {
    return List.of(left, right);
  }

  @Override
  protected Dataset<O> compute(long time) {
    Dataset<A> a = left.getOrCompute(time);
    Dataset<B> b = right.getOrCompute(time);
    return a == null || b == null ? null : perBatch.apply(a, b);
  }
}
