package dev.millrace.runtime.stream;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The streams and output operations of one application, the batch interval, and the zero time from
 * which every stream's batch times count.
 *
 * <p>Built on the application's thread before start; read by the scheduler after. Defining anything
 * after start is refused, as in the seed: "once a context has been started, no new streaming
 * computations can be set up".
 */
public final class StreamGraph {
  private final String appName;
  private final Duration batchInterval;
  private final List<StreamNode<?>> nodes = new CopyOnWriteArrayList<>();
  private final List<InputNode<?>> inputs = new CopyOnWriteArrayList<>();
  private final List<OutputOperation<?>> outputs = new CopyOnWriteArrayList<>();
  // The plan of each batch whose input is held, put once when the batch is planned or replayed:
  // what the map tasks of that batch, on executors, rebuild their input from.
  private final ConcurrentSkipListMap<Long, BatchPlan> plans = new ConcurrentSkipListMap<>();
  private volatile boolean started;
  private volatile boolean history = true;
  private volatile long zeroTime = Long.MIN_VALUE;

  /** An empty graph. */
  public StreamGraph(String appName, Duration batchInterval) {
    this.appName = appName;
    this.batchInterval = batchInterval;
  }

  /** The application's name. */
  public String appName() {
    return appName;
  }

  /** The interval at which input is cut into batches. */
  public Duration batchInterval() {
    return batchInterval;
  }

  int register(StreamNode<?> node) {
    assertDefinable(node.operation());
    nodes.add(node);
    if (node instanceof InputNode<?> input) {
      inputs.add(input);
    }
    return nodes.size() - 1;
  }

  /** Adds an output operation; outputs run in the order they were added. */
  public void addOutput(OutputOperation<?> output) {
    assertDefinable(output.name());
    outputs.add(output);
  }

  /** Refuses to change the graph once it runs. */
  public void assertDefinable(String operation) {
    if (started) {
      throw new IllegalStateException(
          "cannot add "
              + operation
              + "() to streaming context '"
              + appName
              + "': it has already started, and operations must be defined before start()."
              + " Define the whole graph first, then call start().");
    }
  }

  /**
   * Freezes the graph and fixes its zero time: the first batch is {@code zeroTime + batchInterval}.
   */
  public void start(long zeroTime) {
    if (outputs.isEmpty()) {
      throw new IllegalStateException(
          "streaming context '"
              + appName
              + "' has no output operation, so nothing would ever be computed. Add one before"
              + " start(): print(), foreachBatch(...) or saveAsTextFiles(...).");
    }
    this.zeroTime = zeroTime;
    for (StreamNode<?> node : nodes) {
      node.rememberAtLeast(node.minimumRememberMillis());
    }
    started = true;
  }

  /**
   * Makes this an executor's graph: every batch is computed from its own batch's input alone, so a
   * stateful stream ({@code updateStateByKey}) starts each batch from no earlier state instead of
   * computing its earlier batches, which this process does not hold. Only the map side of a shuffle
   * over a batch's own input is ever run from such a graph, and that never reads the earlier state.
   */
  public void keepNoHistory() {
    history = false;
  }

  /** Whether a batch may compute this graph's earlier batches: false in an executor's graph. */
  public boolean keepsHistory() {
    return history;
  }

  /** Whether {@link #start(long)} has run. */
  public boolean isStarted() {
    return started;
  }

  /** The time before the first batch; batch times are {@code zeroTime + k * slide}. */
  public long zeroTime() {
    return zeroTime;
  }

  /** Every stream, in creation order. */
  public List<StreamNode<?>> nodes() {
    return List.copyOf(nodes);
  }

  /** The input streams, in creation order. */
  public List<InputNode<?>> inputs() {
    return List.copyOf(inputs);
  }

  /** The output operations, in the order they run. */
  public List<OutputOperation<?>> outputs() {
    return List.copyOf(outputs);
  }

  /**
   * Takes the input of batch {@code time} from every input stream and holds it for processing. With
   * {@code encode}, also builds the batch's plan from what each input took, holds it with the input
   * and returns it; without, no source is asked to encode (a queue's plan is its records: costly
   * when nothing reads it).
   *
   * @param lastBatch whether the context is stopping gracefully: inputs take only what they hold
   */
  public Optional<BatchPlan> planBatch(long time, boolean lastBatch, boolean encode) {
    if (!encode) {
      for (InputNode<?> input : inputs) {
        input.plan(time, lastBatch);
      }
      return Optional.empty();
    }
    List<byte[]> inputPlans = new ArrayList<>(inputs.size());
    for (InputNode<?> input : inputs) {
      inputPlans.add(input.planEncoded(time, lastBatch));
    }
    BatchPlan plan = new BatchPlan(time, inputPlans);
    plans.put(time, plan);
    return Optional.of(plan);
  }

  /**
   * Rebuilds every input of batch {@code plan.batchTime()} from {@code plan} and holds it, with the
   * plan, for processing.
   */
  public void replayBatch(BatchPlan plan) {
    long time = plan.batchTime();
    for (int i = 0; i < inputs.size(); i++) {
      inputs.get(i).replay(time, plan.inputPlan(i));
    }
    plans.put(time, plan);
  }

  /**
   * Holds empty input for batch {@code time}, whose plan is missing from the batch log, so that a
   * recovery runs it as if nothing had arrived; no plan is held, so executors leave its tasks to
   * the driver.
   */
  public void emptyBatch(long time) {
    for (InputNode<?> input : inputs) {
      input.planEmpty(time);
    }
  }

  /** The plan of batch {@code time} while its input is held, if one was built. */
  public Optional<BatchPlan> plan(long time) {
    return Optional.ofNullable(plans.get(time));
  }

  /** Releases every dataset that no window or state needs after batch {@code time}. */
  public void forgetUpTo(long time) {
    for (StreamNode<?> node : nodes) {
      node.forgetUpTo(time);
    }
    // Only the batch's own map tasks read its plan, and they have run.
    plans.headMap(time, true).clear();
  }

  /**
   * Releases every dataset of a batch before {@code time}, whatever windows and state would keep:
   * for an executor, which rebuilds any batch it needs from its plan.
   */
  public void forgetBefore(long time) {
    for (StreamNode<?> node : nodes) {
      node.forgetBefore(time);
    }
    plans.headMap(time).clear();
  }

  /** The number of batch datasets held across all streams: flat over a long run. */
  public int retainedBatches() {
    int total = 0;
    for (StreamNode<?> node : nodes) {
      total += node.retainedBatches();
    }
    return total;
  }

  /**
   * Checks that {@code other} can be combined with {@code base} batch by batch.
   *
   * @return their graph
   */
  static StreamGraph requireSameSlide(String operation, StreamNode<?> base, StreamNode<?> other) {
    if (base.graph != other.graph) {
      throw new ConfigurationException(
          operation + "(): the streams belong to different streaming contexts");
    }
    requireSameSlide(operation, base.name(), base.slide(), other.name(), other.slide());
    return base.graph;
  }

  /**
   * Checks that the stream {@code otherName} slides every {@code base} as the stream {@code
   * baseName} does, for {@code operation}, which combines them batch by batch.
   *
   * @throws ConfigurationException naming both streams and their slides
   */
  public static void requireSameSlide(
      String operation, String baseName, Duration base, String otherName, Duration other) {
    if (!base.equals(other)) {
      throw new ConfigurationException(
          operation
              + "(): the streams must have the same slide interval, but "
              + baseName
              + " slides every "
              + base
              + " and "
              + otherName
              + " every "
              + other);
    }
  }
}
