package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.CachedDataset;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.StageBoundary;
import dev.millrace.runtime.shuffle.ShuffleScope;
import dev.millrace.streaming.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One stream of the graph: for each of its batch times, a dataset.
 *
 * <p>Datasets are created on first request and kept for {@link #rememberMillis()}, which the graph
 * sets at start from what windows and state downstream still need, then released by {@link
 * #forgetUpTo(long)}: memory stays flat however long the application runs.
 *
 * @param <T> record type
 */
public abstract class StreamNode<T> {
  protected final StreamGraph graph;
  private final int id;
  private final String operation;
  private final String name;
  private final Map<Long, Dataset<T>> generated = new ConcurrentHashMap<>();
  private volatile long rememberMillis;
  private volatile boolean persisted;
  private volatile Duration checkpointInterval;

  protected StreamNode(StreamGraph graph, String operation) {
    this.graph = graph;
    this.operation = operation;
    this.id = graph.register(this);
    // Asked for every batch (traces, listener events): made once.
    this.name = operation + "#" + id;
  }

  /** The interval between this stream's batches. */
  public abstract Duration slide();

  /** The streams this one reads. */
  public abstract List<StreamNode<?>> parents();

  /** Computes the dataset for a valid {@code time}; never called twice for one retained time. */
  protected abstract Dataset<T> compute(long time);

  /** How much extra history this node needs of its parents, beyond its own retention. */
  protected long parentHistoryMillis() {
    return 0;
  }

  /** The least this node keeps of its own datasets. */
  protected long minimumRememberMillis() {
    return slide().milliseconds();
  }

  /** A unique number within the graph, in creation order. */
  public int id() {
    return id;
  }

  /** The operation that made this stream, e.g. {@code reduceByKey}. */
  public String operation() {
    return operation;
  }

  /** {@code operation#id}, for messages. */
  public String name() {
    return name;
  }

  /** Whether {@code time} is one of this stream's batch times. */
  public boolean isTimeValid(long time) {
    long zero = graph.zeroTime();
    long delta = time - zero;
    return delta > 0 && delta % slide().milliseconds() == 0;
  }

  /** This stream's newest batch time at or before {@code time}; may be the zero time or earlier. */
  protected final long latestTimeAtOrBefore(long time) {
    return time - Math.floorMod(time - graph.zeroTime(), slide().milliseconds());
  }

  /** The dataset for {@code time}, or null if the stream has no batch at that time. */
  public final Dataset<T> getOrCompute(long time) {
    if (!isTimeValid(time)) {
      return null;
    }
    Dataset<T> ds = generated.get(time);
    if (ds == null) {
      try (ShuffleScope scope = ShuffleScope.enter(id, time)) {
        ds = compute(time);
      }
      if (persisted && !(ds instanceof StageBoundary)) {
        ds = new CachedDataset<>(ds);
      }
      generated.put(time, ds);
    }
    return ds;
  }

  /** Stores a dataset computed elsewhere (input planned by the generator, restored state). */
  protected final void put(long time, Dataset<T> ds) {
    generated.put(time, ds);
  }

  /** Stores a restored dataset unless one is already there. */
  protected final void putIfAbsent(long time, Dataset<T> ds) {
    generated.putIfAbsent(time, ds);
  }

  /** The dataset held for {@code time}, without computing it. */
  protected final Dataset<T> peek(long time) {
    return generated.get(time);
  }

  /** Keeps every computed dataset in memory so repeated readers do not recompute it. */
  public void persist() {
    persisted = true;
  }

  /** Whether {@link #persist()} was called, directly or by a window downstream. */
  public boolean isPersisted() {
    return persisted;
  }

  /** Records the checkpoint interval requested with {@code dstream.checkpoint(interval)}. */
  public void checkpointInterval(Duration interval) {
    this.checkpointInterval = interval;
  }

  /** The requested checkpoint interval, or null for the default. */
  public Duration checkpointInterval() {
    return checkpointInterval;
  }

  /** How long datasets are kept after their batch. */
  public long rememberMillis() {
    return rememberMillis;
  }

  /** Raises this node's retention to at least {@code millis} and its parents' accordingly. */
  void rememberAtLeast(long millis) {
    long wanted = Math.max(millis, minimumRememberMillis());
    if (wanted <= rememberMillis) {
      return;
    }
    rememberMillis = wanted;
    for (StreamNode<?> parent : parents()) {
      parent.rememberAtLeast(wanted + parentHistoryMillis());
    }
  }

  /** Releases every dataset of a batch before {@code time}, whatever the retention. */
  void forgetBefore(long time) {
    generated.keySet().removeIf(t -> t < time);
  }

  /** Releases datasets no longer needed once batch {@code time} is complete. */
  void forgetUpTo(long time) {
    long horizon = time - rememberMillis;
    generated.keySet().removeIf(t -> t <= horizon);
  }

  /** How many batch datasets this node holds now. */
  public int retainedBatches() {
    return generated.size();
  }

  @Override
  public String toString() {
    return name();
  }
}
