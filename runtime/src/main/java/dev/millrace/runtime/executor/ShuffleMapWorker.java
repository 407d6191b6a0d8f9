package dev.millrace.runtime.executor;

import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.dataset.CountedInput;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.runtime.shuffle.ShuffleId;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.transport.Message.InputRecords;
import dev.millrace.runtime.transport.Message.RunShuffleMap;
import dev.millrace.runtime.transport.Message.ShuffleMapDone;
import dev.millrace.runtime.transport.Message.TaskFailed;
import dev.millrace.runtime.transport.Message.TaskResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs shuffle map tasks in an executor, on {@code cores} threads, over the graph the application
 * defines in this process: replays the inputs of the task's batch from the plans the driver sends,
 * computes the shuffle's map partition with map-side combine exactly as a local run does, reading
 * only that partition's part of the input, and answers with the combiners per reduce partition,
 * encoded with the standard record codec.
 *
 * <p>Only the newest batch's datasets are kept; a task for an older batch (a retry) rebuilds its
 * inputs from the plans again, so memory stays flat. The graph is built once per driver zero time.
 */
public final class ShuffleMapWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShuffleMapWorker.class);

  private final LongFunction<StreamGraph> graphOfZeroTime;
  private final ExecutorService threads;
  private final RecordCodec codec = RecordCodec.standard();
  private final AtomicInteger completed = new AtomicInteger();
  private final Object graphLock = new Object();
  // Guarded by graphLock.
  private StreamGraph graph;
  private long newestBatch = Long.MIN_VALUE;

  /**
   * A worker with {@code cores} task threads whose context class loader is {@code classLoader},
   * defining the graph with {@code graphOfZeroTime}.
   */
  public ShuffleMapWorker(
      int cores, ClassLoader classLoader, LongFunction<StreamGraph> graphOfZeroTime) {
    this.graphOfZeroTime = graphOfZeroTime;
    AtomicInteger ids = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            cores,
            r -> {
              Thread t = new Thread(r, "millrace-map-task-" + ids.incrementAndGet());
              t.setDaemon(true);
              t.setContextClassLoader(classLoader);
              return t;
            });
  }

  /** Runs {@code task} on a task thread and answers through {@code reply}. */
  public void run(RunShuffleMap task, Consumer<TaskResult> reply) {
    threads.execute(() -> reply.accept(runNow(task)));
  }

  /** How many map tasks this worker has completed. */
  public int tasksCompleted() {
    return completed.get();
  }

  private TaskResult runNow(RunShuffleMap task) {
    try {
      MapSide side = mapSide(task);
      Map<?, ?>[] output = side.shuffle().mapOutput(task.mapPartition());
      if (output.length != task.reducePartitions()) {
        throw new IllegalStateException(
            task.shuffle()
                + " has "
                + output.length
                + " reduce partitions in this executor's graph, the driver's has "
                + task.reducePartitions()
                + "; driver and executor must run the same application build and spec");
      }
      List<byte[]> buckets = new ArrayList<>(output.length);
      for (List<Object> bucket : ShuffleDataset.keysAndCombiners(output)) {
        buckets.add(codec.encode(bucket));
      }
      completed.incrementAndGet();
      return new ShuffleMapDone(
          task.taskId(), task.driverEpoch(), task.sessionId(), buckets, side.inputRecords());
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      LOG.warn("map task {} of {} failed", task.mapPartition(), task.shuffle(), e);
      return new TaskFailed(task.taskId(), task.driverEpoch(), task.sessionId(), e.toString());
    }
  }

  /** A task's shuffle and the batch inputs it reads, in this process's graph. */
  private record MapSide(ShuffleDataset<?, ?, ?> shuffle, Map<Integer, CountedInput> inputs) {
    /**
     * The counts of every input partition this process has read for the batch: the driver sums them
     * instead of reading the input itself. Partitions other tasks read are sent again; the driver
     * keeps the first count of each, and they are equal.
     */
    List<InputRecords> inputRecords() {
      List<InputRecords> records = new ArrayList<>();
      inputs.forEach(
          (node, input) ->
              input
                  .countedPartitions()
                  .forEach(
                      (partition, count) -> records.add(new InputRecords(node, partition, count))));
      return records;
    }
  }

  /** The task's shuffle with its input ready to compute, in this process's graph. */
  private MapSide mapSide(RunShuffleMap task) {
    ShuffleId id = task.shuffle();
    long time = id.batchTime();
    synchronized (graphLock) {
      if (graph == null || graph.zeroTime() != task.zeroTime()) {
        graph = graphOfZeroTime.apply(task.zeroTime());
        graph.keepNoHistory();
        newestBatch = Long.MIN_VALUE;
      }
      if (time > newestBatch) {
        graph.forgetBefore(time);
        newestBatch = time;
      }
      List<StreamNode<?>> nodes = graph.nodes();
      Map<Integer, CountedInput> inputs = new TreeMap<>();
      for (Map.Entry<Integer, byte[]> plan : task.inputPlans().entrySet()) {
        if (!(node(nodes, plan.getKey(), id) instanceof InputNode<?> input)) {
          throw new IllegalStateException(
              "node " + plan.getKey() + " of this executor's graph is not an input; " + mismatch());
        }
        Dataset<?> planned = input.planned(time);
        if (planned == null) {
          planned = input.replay(time, plan.getValue());
        }
        if (planned instanceof CountedInput counted) {
          inputs.put(input.id(), counted);
        }
      }
      Dataset<?> root = node(nodes, id.nodeId(), id).getOrCompute(time);
      // Nothing is prepared: an eligible map input is narrow operators over this batch's inputs
      // (RemoteMapInputs), each of which computes one partition from its own part of the input, so
      // the task reads its map partition's split and no other.
      return new MapSide(find(root, id), inputs);
    }
  }

  private static StreamNode<?> node(List<StreamNode<?>> nodes, int nodeId, ShuffleId shuffle) {
    if (nodeId < 0 || nodeId >= nodes.size()) {
      throw new IllegalStateException(
          shuffle
              + " names node "
              + nodeId
              + ", but this executor's graph has "
              + nodes.size()
              + " nodes; "
              + mismatch());
    }
    return nodes.get(nodeId);
  }

  private static ShuffleDataset<?, ?, ?> find(Dataset<?> root, ShuffleId id) {
    Set<Dataset<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Dataset<?>> pending = new ArrayDeque<>();
    if (root != null) {
      pending.push(root);
    }
    while (!pending.isEmpty()) {
      Dataset<?> ds = pending.pop();
      if (ds instanceof ShuffleDataset<?, ?, ?> shuffle && id.equals(shuffle.id())) {
        return shuffle;
      }
      if (seen.add(ds)) {
        ds.parents().forEach(pending::push);
      }
    }
    throw new IllegalStateException(id + " is not in this executor's graph; " + mismatch());
  }

  private static String mismatch() {
    return "driver and executor must run the same application build and spec";
  }

  /** Stops the task threads; tasks still running are abandoned. */
  @Override
  public void close() {
    threads.shutdownNow();
  }
}
