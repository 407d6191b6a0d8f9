package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Aggregator;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.HashPartitioner;
import dev.millrace.runtime.dataset.KeyedDataset;
import dev.millrace.runtime.dataset.ShuffleDataset;
import dev.millrace.runtime.dataset.StateDataset;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Pair;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code updateStateByKey}: the state at each batch time is the update function applied to the
 * previous state and the batch's values, for every key that has either.
 */
public final class StateNode<K, V, S> extends StreamNode<Pair<K, S>> {
  private final StreamNode<Pair<K, V>> parent;
  private final BiFunction<List<V>, Optional<S>, Optional<S>> update;
  private final HashPartitioner partitioner;

  /** State over {@code parent}'s pairs, in {@code partitions} partitions. */
  public StateNode(
      StreamNode<Pair<K, V>> parent,
      BiFunction<List<V>, Optional<S>, Optional<S>> update,
      int partitions) {
    super(parent.graph, "updateStateByKey");
    this.parent = parent;
    this.update = update;
    this.partitioner = new HashPartitioner(partitions);
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
  protected long minimumRememberMillis() {
    // The next batch reads this one's state.
    return 2 * slide().milliseconds();
  }

  /** The partitioner of the state. */
  public HashPartitioner partitioner() {
    return partitioner;
  }

  /** Installs state restored from storage as the state of batch {@code time}. */
  public void restore(long time, StateDataset<K, V, S> state) {
    put(time, state);
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Dataset<Pair<K, S>> compute(long time) {
    long previousTime = time - slide().milliseconds();
    KeyedDataset<K, S> previous = null;
    Dataset<Pair<K, S>> prev = peek(previousTime);
    if (prev == null && isTimeValid(previousTime)) {
      prev = getOrCompute(previousTime);
    }
    if (prev != null) {
      previous = (KeyedDataset<K, S>) prev;
    }
    Dataset<Pair<K, V>> in = parent.getOrCompute(time);
    ShuffleDataset<K, V, List<V>> grouped =
        new ShuffleDataset<>(in, Aggregator.grouping(), partitioner);
    return new StateDataset<>(previous, grouped, update, partitioner);
  }
}
