package dev.millrace.runtime.executor;

import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.recovery.StatePartitionRecovery;
import dev.millrace.runtime.shuffle.KeyedPartitions;
import dev.millrace.runtime.stream.PartitionedState;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.runtime.transport.Message.RunStateTask;
import dev.millrace.runtime.transport.Message.StateTaskDone;
import dev.millrace.runtime.transport.Message.TaskFailed;
import dev.millrace.runtime.transport.Message.TaskResult;
import dev.millrace.streaming.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state partitions of {@code updateStateByKey} this executor owns for the current session:
 * sets, updates and answers them as the driver asks, and rebuilds one from the checkpoint directory
 * when it takes over a partition whose owner was lost ({@link StatePartitionRecovery}).
 *
 * <p>Each partition keeps its {@value #KEPT} newest states, so the driver can read a batch's state
 * after the next batch has updated it. The driver sends one task per partition at a time, so tasks
 * on one partition never overlap; tasks on different partitions run in parallel on {@code cores}
 * threads. Everything is dropped when the session ends: the driver then counts the partitions as
 * owned by no one.
 */
public final class StateOwner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateOwner.class);
  static final int KEPT = 3;

  private final LongFunction<StreamGraph> graphOfZeroTime;
  private final Supplier<CheckpointStore> checkpoint;
  private final ExecutorService threads;
  private final TaskRunner recoveryRunner;
  private final RecordCodec codec = RecordCodec.standard();
  private final Map<List<Integer>, NavigableMap<Long, HashMap<Object, Object>>> held =
      new ConcurrentHashMap<>();
  private final Object graphLock = new Object();
  // Guarded by graphLock: the graph whose update functions the tasks apply.
  private StreamGraph graph;

  /**
   * An owner running tasks on {@code cores} threads with {@code classLoader}, defining graphs with
   * {@code graphOfZeroTime} and opening the checkpoint directory with {@code checkpoint} when a
   * partition must be rebuilt.
   */
  public StateOwner(
      int cores,
      ClassLoader classLoader,
      LongFunction<StreamGraph> graphOfZeroTime,
      Supplier<CheckpointStore> checkpoint) {
    this.graphOfZeroTime = graphOfZeroTime;
    this.checkpoint = checkpoint;
    AtomicInteger ids = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            cores,
            r -> {
              Thread t = new Thread(r, "millrace-state-task-" + ids.incrementAndGet());
              t.setDaemon(true);
              t.setContextClassLoader(classLoader);
              return t;
            });
    this.recoveryRunner = new TaskRunner(cores, "state-recovery");
  }

  /** Runs {@code task} on a task thread and answers through {@code reply}. */
  public void run(RunStateTask task, Consumer<TaskResult> reply) {
    threads.execute(() -> reply.accept(runNow(task)));
  }

  /** Drops every partition: the session that owned them is over. */
  public void clear() {
    held.clear();
  }

  /** How many partitions this executor holds state of. */
  public int partitionsHeld() {
    return held.size();
  }

  private TaskResult runNow(RunStateTask task) {
    try {
      byte[] answer = new byte[0];
      List<Integer> key = List.of(task.nodeId(), task.partition());
      switch (task.op()) {
        case SET ->
            keep(key, task.batchTime(), KeyedPartitions.unflatten(codec.decode(task.records())));
        case UPDATE -> keep(key, task.batchTime(), update(task, key));
        case FETCH ->
            answer = codec.encode(KeyedPartitions.flatten(state(key, task.batchTime(), task)));
        case RESTORE -> keep(key, task.batchTime(), restore(task));
        case SNAPSHOT -> answer = snapshot(task, state(key, task.batchTime(), task));
        case DROP -> held.remove(key);
      }
      return new StateTaskDone(task.taskId(), task.driverEpoch(), task.sessionId(), answer);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      LOG.warn(
          "{} of partition {} of node {} at batch {} failed",
          task.op(),
          task.partition(),
          task.nodeId(),
          task.batchTime(),
          e);
      return new TaskFailed(task.taskId(), task.driverEpoch(), task.sessionId(), e.toString());
    }
  }

  private HashMap<Object, Object> update(RunStateTask task, List<Integer> key) {
    Map<Object, Object> before =
        task.previousTime() < 0 ? Map.of() : state(key, task.previousTime(), task);
    return stateNode(task).updatePartition(before, codec.decode(task.records()));
  }

  /**
   * Writes the partition into the checkpoint directory for the generation of batch {@code
   * task.previousTime()}; answers its length, CRC32 and keys.
   */
  private byte[] snapshot(RunStateTask task, Map<Object, Object> state) {
    List<Object> pairs = new ArrayList<>(state.size());
    state.forEach((k, v) -> pairs.add(Pair.of(k, v)));
    CheckpointStore.StatePart part =
        checkpointStore()
            .writeStatePart(
                task.previousTime(), task.nodeId(), task.partition(), codec.encode(pairs));
    return codec.encode(List.of(part.length(), part.crc32(), (long) pairs.size()));
  }

  private CheckpointStore checkpointStore() {
    CheckpointStore store = checkpoint.get();
    if (store == null) {
      throw new IllegalStateException(
          "the application has no checkpoint directory to write or rebuild a state partition");
    }
    return store;
  }

  private HashMap<Object, Object> restore(RunStateTask task) {
    CheckpointStore store = checkpointStore();
    // A graph of its own: the replayed batches must not mix with the tasks' datasets.
    StreamGraph replay = graphOfZeroTime.apply(task.zeroTime());
    replay.keepNoHistory();
    HashMap<Object, Object> state =
        new StatePartitionRecovery(store, replay, recoveryRunner)
            .recover(task.nodeId(), task.partition(), task.batchTime());
    LOG.info(
        "rebuilt partition {} of node {} as of batch {} from the checkpoint: {} keys",
        task.partition(),
        task.nodeId(),
        task.batchTime(),
        state.size());
    return state;
  }

  private HashMap<Object, Object> state(List<Integer> key, long time, RunStateTask task) {
    NavigableMap<Long, HashMap<Object, Object>> times = held.get(key);
    HashMap<Object, Object> state = times == null ? null : times.get(time);
    if (state == null) {
      throw new IllegalStateException(
          "this executor holds no state of partition "
              + task.partition()
              + " of node "
              + task.nodeId()
              + " at batch "
              + time
              + (times == null ? "" : "; it holds batches " + times.keySet()));
    }
    return state;
  }

  private void keep(List<Integer> key, long time, HashMap<Object, Object> state) {
    NavigableMap<Long, HashMap<Object, Object>> times =
        held.computeIfAbsent(key, k -> new ConcurrentSkipListMap<>());
    times.put(time, state);
    while (times.size() > KEPT) {
      times.pollFirstEntry();
    }
  }

  private PartitionedState stateNode(RunStateTask task) {
    StreamGraph g;
    synchronized (graphLock) {
      if (graph == null || graph.zeroTime() != task.zeroTime()) {
        graph = graphOfZeroTime.apply(task.zeroTime());
        graph.keepNoHistory();
      }
      g = graph;
    }
    List<StreamNode<?>> nodes = g.nodes();
    if (task.nodeId() < 0
        || task.nodeId() >= nodes.size()
        || !(nodes.get(task.nodeId()) instanceof PartitionedState node)) {
      throw new IllegalStateException(
          "node "
              + task.nodeId()
              + " of this executor's graph has no partitioned state; driver and executor"
              + " must run the same application build and spec");
    }
    return node;
  }

  @Override
  public void close() {
    threads.shutdownNow();
    recoveryRunner.close();
  }
}
