package dev.millrace.runtime.stream;

import dev.millrace.runtime.backpressure.PacedInput;
import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import dev.millrace.runtime.source.InputParts;
import dev.millrace.runtime.source.InputSource;
import dev.millrace.streaming.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A stream read from outside: at each batch time the generator asks the source for that batch's
 * input ({@link #plan}) before any processing of the batch begins.
 */
public final class InputNode<T> extends StreamNode<T> implements PacedInput {
  private final InputSource<T> source;

  /** An input stream fed by {@code source}. */
  public InputNode(StreamGraph graph, String operation, InputSource<T> source) {
    super(graph, operation);
    this.source = source;
  }

  /** The source feeding this stream. */
  public InputSource<T> source() {
    return source;
  }

  /** Takes the input for batch {@code time} from the source and holds it for processing. */
  public Dataset<T> plan(long time, boolean lastBatch) {
    Dataset<T> ds = source.take(time, lastBatch);
    put(time, ds);
    return ds;
  }

  /**
   * {@linkplain #plan Takes} the input for batch {@code time} and returns the source's plan of it,
   * from which {@link #replay} rebuilds the same input in this or another process.
   */
  byte[] planEncoded(long time, boolean lastBatch) {
    return source.encodePlan(plan(time, lastBatch));
  }

  /**
   * Rebuilds the input of batch {@code time} from its recorded plan and holds it for processing.
   */
  public Dataset<T> replay(long time, byte[] plan) {
    Dataset<T> ds = source.replay(time, plan);
    put(time, ds);
    return ds;
  }

  /**
   * Holds empty input for batch {@code time}, whose plan is missing from the batch log, so that a
   * recovery runs it as if nothing had arrived; no plan is recorded, so executors leave its tasks
   * to the driver.
   */
  public Dataset<T> planEmpty(long time) {
    Dataset<T> ds = ListDataset.empty(1);
    put(time, ds);
    return ds;
  }

  /** The input planned for batch {@code time}, or null if none is held for it. */
  @Override
  public Dataset<T> planned(long time) {
    return peek(time);
  }

  /**
   * The parts of batch {@code time}'s input as its source's plan knows them, the first {@code
   * shown} described; empty if none is held for it or the source does not know its parts.
   */
  public Optional<InputParts> parts(long time, int shown) {
    Dataset<T> ds = planned(time);
    return ds == null ? Optional.empty() : source.parts(name(), ds, shown);
  }

  @Override
  public void updateRateLimit(RateLimit limit) {
    source.updateRateLimit(limit);
  }

  @Override
  public Duration slide() {
    return graph.batchInterval();
  }

  @Override
  public List<StreamNode<?>> parents() {
    return List.of();
  }

  @Override
  protected Dataset<T> compute(long time) {
    throw new IllegalStateException(
        "input of "
            + name()
            + " for batch "
            + time
            + " was requested but never planned or is no longer retained; this is a bug in the"
            + " engine's retention rules, please report it");
  }
}
