package dev.millrace.runtime.cluster;

import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.dataset.StageTrace;
import dev.millrace.runtime.dataset.TaskPool;
import dev.millrace.runtime.state.OwnedPart;
import dev.millrace.runtime.state.StateUpdateRunner;
import dev.millrace.runtime.state.StateUpdateStage;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.StatefulNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.task.TaskFailedException;
import dev.millrace.runtime.transport.Message.RunStateTask;
import dev.millrace.runtime.transport.Message.StateOp;
import dev.millrace.runtime.transport.Message.StateTaskDone;
import dev.millrace.runtime.transport.Message.TaskFailed;
import dev.millrace.runtime.transport.Message.TaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's {@link StateUpdateRunner} when executors may be registered: the partitions of each
 * {@code updateStateByKey} state are owned by the registered executors ({@link
 * StatePartitionAssignment}), which update and keep them; the driver sends each owner its
 * partition's new values, and reads a partition from its owner only when an output or a checkpoint
 * needs it.
 *
 * <p>Before an owner updates a partition it must hold the partition's previous state. An owner that
 * does not (it just joined, or took the partition over) gets it from wherever it is: from this
 * process if the previous state is held here (the state started here, or was restored from a
 * checkpoint); from the previous owner if that one is alive (a rebalance); otherwise it rebuilds it
 * from the checkpoint directory and the batch log ({@code RESTORE}). So an executor lost at any
 * point costs a rebuild of its partitions, and the batch's state is what it would have been.
 *
 * <p>The state stays here, updated on the local threads, while no executor is registered, when an
 * executor could not rebuild it from the checkpoint directory (its stream reads a window or another
 * state, or an input an executor cannot replay, such as a socket stream's write-ahead log), or when
 * an executor fails a state task the first time the state would move. Once the state lives on
 * executors and all of them are gone, a batch waits up to the task timeout for one to register and
 * then fails, so that the driver's restart restores the state from the checkpoint.
 */
public final class DistributedStateRunner implements StateUpdateRunner, ExecutorListener {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedStateRunner.class);
  private static final int MAX_ATTEMPTS = 10;
  private static final long POLL_MILLIS = 100;

  private final StreamGraph graph;
  private final ExecutorRegistry registry;
  private final Duration ownerWait;
  private final RecordCodec codec = RecordCodec.standard();
  private final Map<Long, Call> calls = new ConcurrentHashMap<>();
  private final Map<Integer, long[]> owners = new ConcurrentHashMap<>();
  // What each owner holds: the session and batch of each (node, partition) state it last kept.
  private final Map<List<Integer>, Held> held = new ConcurrentHashMap<>();
  private final Set<Integer> localOnly = ConcurrentHashMap.newKeySet();
  private final Map<Integer, Boolean> rebuildable = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> completed = new ConcurrentHashMap<>();

  /**
   * A runner for the states of {@code graph} over the executors of {@code registry}, waiting up to
   * {@code ownerWait} for an executor when the state lives on executors and none is registered.
   */
  public DistributedStateRunner(StreamGraph graph, ExecutorRegistry registry, Duration ownerWait) {
    this.graph = graph;
    this.registry = registry;
    this.ownerWait = ownerWait;
    registry.addListener(this);
  }

  /** How many state tasks each executor has completed, by executor id. */
  public long tasksCompleted(String executorId) {
    AtomicLong count = completed.get(executorId);
    return count == null ? 0 : count.get();
  }

  /** How many state partitions, over all states, session {@code sessionId} owns now. */
  public int partitionsOwned(long sessionId) {
    int n = 0;
    for (long[] sessions : owners.values()) {
      for (long session : sessions) {
        n += session == sessionId ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * The session owning each partition of the state of stream {@code nodeId} now, by partition
   * ({@link StatePartitionAssignment#NONE} for one without a live owner yet); empty while the
   * driver keeps that state.
   */
  public Optional<long[]> owners(int nodeId) {
    long[] current = owners.get(nodeId);
    return current == null ? Optional.empty() : Optional.of(current.clone());
  }

  @Override
  public void run(StateUpdateStage stage, TaskPool local) {
    boolean remoteBefore = stage.hasPrevious() && !stage.previousHeldHere();
    if (!remoteBefore
        && (stage.nodeId() < 0
            || localOnly.contains(stage.nodeId())
            || !rebuildable.computeIfAbsent(
                stage.nodeId(), id -> rebuildableElsewhere(graph.nodes().get(id).parents()))
            || registry.executorsReady() == 0)) {
      LOCAL.run(stage, local);
      return;
    }
    // Once a batch: owners for orphaned partitions, and a share for executors that joined.
    synchronized (owners) {
      assign(stage.nodeId(), stage.partitions());
    }
    try {
      local.runRemoteCalls(stage.partitions(), r -> update(stage, r, remoteBefore, local.trace()));
    } catch (TaskFailedException e) {
      if (remoteBefore) {
        throw e;
      }
      // The previous state is still here, so this batch runs here. A task an executor failed
      // would fail there again: the state stays here for the rest of this driver's life.
      boolean failedThere = e.getCause() instanceof RemoteStateFailure;
      if (failedThere) {
        localOnly.add(stage.nodeId());
      }
      LOG.info(
          "the state of {} {} in the driver: {}",
          graph.nodes().get(stage.nodeId()).name(),
          failedThere ? "stays" : "is updated this batch",
          e.getCause() == null ? e.toString() : e.getCause().getMessage());
      forget(stage.nodeId());
      LOCAL.run(stage, local);
      return;
    }
    int nodeId = stage.nodeId();
    long batchTime = stage.batchTime();
    stage.ownedElsewhere(
        new StateUpdateStage.OwnedPartitions() {
          @Override
          public List<Object> fetch(int r) {
            return codec.decode(atOwner(nodeId, r, batchTime, StateOp.FETCH, -1));
          }

          @Override
          public OwnedPart snapshot(int r, long checkpointTime) {
            List<Object> part =
                codec.decode(atOwner(nodeId, r, batchTime, StateOp.SNAPSHOT, checkpointTime));
            // An executor of a build before keys were counted answers the file alone.
            return new OwnedPart(
                new CheckpointStore.StatePart((Long) part.get(0), (Long) part.get(1)),
                part.size() > 2 ? (Long) part.get(2) : -1);
          }
        });
  }

  /**
   * Whether another process can compute {@code nodes}' batches from their own batch's plans alone,
   * as {@code RESTORE} does: no state or window among them or their ancestors, and every input
   * replayable there (files and queues; not a socket stream's write-ahead log).
   */
  static boolean rebuildableElsewhere(List<StreamNode<?>> nodes) {
    for (StreamNode<?> node : nodes) {
      if (node instanceof StatefulNode) {
        return false;
      }
      if (node instanceof InputNode<?> input && !input.source().replaysAnywhere()) {
        return false;
      }
      if (!rebuildableElsewhere(node.parents())) {
        return false;
      }
    }
    return true;
  }

  private void forget(int nodeId) {
    owners.remove(nodeId);
    held.keySet().removeIf(key -> key.get(0) == nodeId);
  }

  /**
   * Has partition {@code r}'s owner hold the previous state, then update it, telling {@code trace}
   * which executor did; with {@code waitForOwner}, waits for an executor when none is registered,
   * else gives up at once (the driver can run the batch itself).
   */
  private void update(StateUpdateStage stage, int r, boolean waitForOwner, StageTrace trace) {
    List<Integer> key = List.of(stage.nodeId(), r);
    for (int attempt = 1; ; attempt++) {
      ExecutorInfo owner = owner(stage.nodeId(), stage.partitions(), r, waitForOwner);
      try {
        if (stage.hasPrevious()) {
          holdPrevious(stage, r, owner);
        }
        byte[] values = codec.encode(stage.input(r));
        call(
            owner,
            stage,
            r,
            StateOp.UPDATE,
            stage.batchTime(),
            stage.hasPrevious() ? stage.previousTime() : -1,
            values);
        held.put(key, new Held(owner.sessionId(), stage.batchTime()));
        trace.ranOnExecutor(owner.executorId(), owner.host(), 1);
        return;
      } catch (SessionLost e) {
        if (attempt == MAX_ATTEMPTS) {
          throw new TaskFailedException(
              r, new IllegalStateException("state partition " + r + ": " + e.getMessage()));
        }
        trace.taskRetried();
        LOG.info(
            "partition {} of {} goes elsewhere: {}",
            r,
            graph.nodes().get(stage.nodeId()).name(),
            e.getMessage());
      }
    }
  }

  private void holdPrevious(StateUpdateStage stage, int r, ExecutorInfo owner) {
    List<Integer> key = List.of(stage.nodeId(), r);
    long previous = stage.previousTime();
    Held h = held.get(key);
    if (h != null && h.sessionId() == owner.sessionId() && h.batchTime() == previous) {
      return;
    }
    ExecutorInfo former = h == null ? null : live(h.sessionId());
    if (stage.previousHeldHere()) {
      call(owner, stage, r, StateOp.SET, previous, -1, codec.encode(stage.previousPartition(r)));
    } else {
      ExecutorInfo before = h == null || h.batchTime() != previous ? null : live(h.sessionId());
      if (before != null && before.sessionId() != owner.sessionId()) {
        byte[] state = call(before, stage, r, StateOp.FETCH, previous, -1, new byte[0]);
        call(owner, stage, r, StateOp.SET, previous, -1, state);
      } else {
        call(owner, stage, r, StateOp.RESTORE, previous, -1, new byte[0]);
      }
    }
    held.put(key, new Held(owner.sessionId(), previous));
    if (former != null && former.sessionId() != owner.sessionId()) {
      dropAt(former, stage, r);
    }
  }

  /** Has a former owner of partition {@code r} forget it; it is only memory, so failures pass. */
  private void dropAt(ExecutorInfo former, StateUpdateStage stage, int r) {
    try {
      call(former, stage, r, StateOp.DROP, stage.previousTime(), -1, new byte[0]);
    } catch (SessionLost | RemoteStateFailure e) {
      LOG.debug("partition {} was not dropped at {}: {}", r, former.executorId(), e.getMessage());
    }
  }

  /**
   * Runs {@code op} (FETCH, or SNAPSHOT for the generation of {@code checkpointTime}) of partition
   * {@code r} of node {@code nodeId}'s state at {@code time} at its owner; a lost owner's partition
   * is rebuilt on another first.
   */
  private byte[] atOwner(int nodeId, int r, long time, StateOp op, long checkpointTime) {
    List<Integer> key = List.of(nodeId, r);
    for (int attempt = 1; ; attempt++) {
      Held h = held.get(key);
      ExecutorInfo owner = h == null ? null : live(h.sessionId());
      try {
        if (owner == null) {
          int partitions = owners.get(nodeId).length;
          owner = owner(nodeId, partitions, r, true);
          long at = h == null ? time : h.batchTime();
          callFor(owner, nodeId, r, StateOp.RESTORE, at, -1, new byte[0]);
          held.put(key, new Held(owner.sessionId(), at));
        }
        return callFor(owner, nodeId, r, op, time, checkpointTime, new byte[0]);
      } catch (SessionLost e) {
        if (attempt == MAX_ATTEMPTS) {
          throw new TaskFailedException(
              r,
              new IllegalStateException(op + " of state partition " + r + ": " + e.getMessage()));
        }
      }
    }
  }

  /**
   * The live owner of partition {@code r}; owners are assigned again only when it has none (its
   * owner was lost). While no executor is live, waits up to the owner wait if {@code wait}, else
   * fails at once.
   */
  private ExecutorInfo owner(int nodeId, int partitions, int r, boolean wait) {
    long deadline = System.nanoTime() + (wait ? ownerWait.toNanos() : 0);
    while (true) {
      synchronized (owners) {
        long[] current = owners.get(nodeId);
        ExecutorInfo owner = current == null ? null : live(current[r]);
        if (owner == null) {
          long[] next = assign(nodeId, partitions);
          owner = next == null ? null : live(next[r]);
        }
        if (owner != null) {
          return owner;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TaskFailedException(
            r,
            new IllegalStateException(
                "the state of "
                    + graph.nodes().get(nodeId).name()
                    + " is kept by executors and none has been registered for "
                    + ownerWait.toMillis()
                    + " ms; stopping so that the driver's restart restores the state from the"
                    + " checkpoint. Check why the executors stopped (their logs) and that the"
                    + " backend replaces them."));
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TaskFailedException(r, e);
      }
    }
  }

  /**
   * Assigns the partitions of node {@code nodeId} over the live executors, balanced with the other
   * states' partitions; null, and nothing changed, while none is live. Callers hold {@code owners}.
   */
  private long[] assign(int nodeId, int partitions) {
    List<ExecutorInfo> live = registry.executors();
    if (live.isEmpty()) {
      return null;
    }
    List<Long> sessions = new ArrayList<>();
    live.forEach(e -> sessions.add(e.sessionId()));
    Map<Long, Integer> otherLoad = new HashMap<>();
    owners.forEach(
        (other, assigned) -> {
          if (other != nodeId) {
            for (long session : assigned) {
              otherLoad.merge(session, 1, Integer::sum);
            }
          }
        });
    long[] next =
        StatePartitionAssignment.assign(
            owners.getOrDefault(nodeId, new long[partitions]), sessions, otherLoad);
    owners.put(nodeId, next);
    return next;
  }

  private ExecutorInfo live(long sessionId) {
    for (ExecutorInfo e : registry.executors()) {
      if (e.sessionId() == sessionId) {
        return e;
      }
    }
    return null;
  }

  private byte[] call(
      ExecutorInfo executor,
      StateUpdateStage stage,
      int r,
      StateOp op,
      long batchTime,
      long previousTime,
      byte[] records) {
    return callFor(executor, stage.nodeId(), r, op, batchTime, previousTime, records);
  }

  /**
   * Runs one state task on {@code executor} and waits for its answer.
   *
   * @throws SessionLost if the executor's session ends first
   * @throws RemoteStateFailure if the task failed there
   */
  private byte[] callFor(
      ExecutorInfo executor,
      int nodeId,
      int r,
      StateOp op,
      long batchTime,
      long previousTime,
      byte[] records) {
    long taskId = registry.newTaskId();
    Call call = new Call(executor.sessionId(), new CompletableFuture<>());
    calls.put(taskId, call);
    try {
      RunStateTask task =
          new RunStateTask(
              taskId,
              registry.epoch(),
              executor.sessionId(),
              graph.zeroTime(),
              nodeId,
              r,
              op,
              batchTime,
              previousTime,
              records);
      if (!registry.send(executor.executorId(), executor.sessionId(), task)) {
        throw new SessionLost("executor " + executor.executorId() + " is gone");
      }
      TaskResult result = await(call, executor);
      if (result instanceof TaskFailed failed) {
        throw new RemoteStateFailure(
            op
                + " of partition "
                + r
                + " of "
                + graph.nodes().get(nodeId).name()
                + " at batch "
                + batchTime
                + " failed on executor "
                + executor.executorId()
                + ": "
                + failed.message());
      }
      completed.computeIfAbsent(executor.executorId(), k -> new AtomicLong()).incrementAndGet();
      return ((StateTaskDone) result).records();
    } finally {
      calls.remove(taskId);
    }
  }

  private static TaskResult await(Call call, ExecutorInfo executor) {
    try {
      // Bounded so that a wedged answer cannot hang the batch forever; the heartbeat timeout
      // normally ends the session long before.
      return call.result().get(1, TimeUnit.HOURS);
    } catch (ExecutionException e) {
      throw new SessionLost(
          "executor " + executor.executorId() + " was lost: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new SessionLost("executor " + executor.executorId() + " did not answer in an hour");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskFailedException(-1, e);
    }
  }

  @Override
  public void taskResult(ExecutorInfo executor, TaskResult result) {
    Call call = calls.get(result.taskId());
    if (call != null
        && call.sessionId() == result.sessionId()
        && (result instanceof StateTaskDone || result instanceof TaskFailed)) {
      call.result().complete(result);
    }
  }

  @Override
  public void executorLost(ExecutorInfo executor, String reason) {
    for (Call call : calls.values()) {
      if (call.sessionId() == executor.sessionId()) {
        call.result().completeExceptionally(new IllegalStateException(reason));
      }
    }
  }

  private record Call(long sessionId, CompletableFuture<TaskResult> result) {}

  private record Held(long sessionId, long batchTime) {}

  /** The executor holding a call's partition ended its session before answering. */
  private static final class SessionLost extends RuntimeException {
    SessionLost(String message) {
      super(message, null, false, false);
    }
  }

  /** A state task failed on its executor: deterministic, so not retried elsewhere. */
  private static final class RemoteStateFailure extends RuntimeException {
    RemoteStateFailure(String message) {
      super(message, null, false, false);
    }
  }
}
