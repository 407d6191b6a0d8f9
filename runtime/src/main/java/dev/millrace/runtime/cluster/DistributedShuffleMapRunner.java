package dev.millrace.runtime.cluster;

import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.dataset.CountedInput;
import dev.millrace.runtime.dataset.StageTrace;
import dev.millrace.runtime.dataset.TaskPool;
import dev.millrace.runtime.shuffle.ShuffleId;
import dev.millrace.runtime.shuffle.ShuffleMapRunner;
import dev.millrace.runtime.shuffle.ShuffleMapStage;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.task.TaskFailedException;
import dev.millrace.runtime.transport.Message.InputRecords;
import dev.millrace.runtime.transport.Message.RunShuffleMap;
import dev.millrace.runtime.transport.Message.ShuffleMapDone;
import dev.millrace.runtime.transport.Message.StateTaskDone;
import dev.millrace.runtime.transport.Message.TaskFailed;
import dev.millrace.runtime.transport.Message.TaskResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's {@link ShuffleMapRunner} when executors may be registered: sends each map task an
 * executor can run ({@link RemoteMapInputs}) to the registered executors, round-robin and at most
 * their cores at a time, and runs everything else on the driver's task threads as before.
 *
 * <p>A task runs again elsewhere when its executor is lost before answering; a late answer of the
 * lost session is fenced by the {@link ExecutorRegistry} and never reaches a stage. A task its
 * executor has not answered within the task timeout runs in the driver (map tasks are
 * deterministic, so the output is the same), and the executor's late answer is dropped: each
 * dispatch has a task id of its own, and only the ids still waited for are accepted. The executor
 * is not declared lost: it heartbeats, and a slow task is not a dead executor. With no executor
 * left, the remaining tasks run locally. A task that fails on an executor runs locally at once, and
 * the shuffle it belongs to (its node and index) runs locally from then on: failing there is
 * deterministic (the node computes data only the driver holds), and a failure of the user's code
 * fails the batch locally with the same error as without executors.
 *
 * <p>Stages run one at a time on the batch-processing thread; results and membership changes arrive
 * on transport threads and are queued to the stage they belong to.
 */
public final class DistributedShuffleMapRunner implements ShuffleMapRunner, ExecutorListener {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedShuffleMapRunner.class);
  private static final long POLL_MILLIS = 100;

  private final StreamGraph graph;
  private final ExecutorRegistry registry;
  private final Duration taskTimeout;
  private final TaskRetryListener retries;
  private final RecordCodec codec = RecordCodec.standard();
  private final Map<Long, Attempt> inFlight = new ConcurrentHashMap<>();
  // The session of each timed-out task its executor may still be running, by task id: each holds
  // one of the executor's cores until it answers (the answer is dropped) or its session ends.
  private final Map<Long, Long> overdue = new ConcurrentHashMap<>();
  private final Set<StageRun> running = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> completed = new ConcurrentHashMap<>();
  private final Set<List<Integer>> localOnly = ConcurrentHashMap.newKeySet();
  private int cursor;

  /**
   * A runner for the shuffles of {@code graph}, over the executors of {@code registry}, running in
   * the driver any task an executor has not answered within {@code taskTimeout}.
   */
  public DistributedShuffleMapRunner(
      StreamGraph graph, ExecutorRegistry registry, Duration taskTimeout) {
    this(graph, registry, taskTimeout, TaskRetryListener.NONE);
  }

  /** As above, telling {@code retries} of every map task it runs again. */
  public DistributedShuffleMapRunner(
      StreamGraph graph,
      ExecutorRegistry registry,
      Duration taskTimeout,
      TaskRetryListener retries) {
    this.graph = graph;
    this.registry = registry;
    this.taskTimeout = taskTimeout;
    this.retries = retries;
    registry.addListener(this);
  }

  /** How many map tasks each executor has completed, by executor id. */
  public long tasksCompleted(String executorId) {
    AtomicLong count = completed.get(executorId);
    return count == null ? 0 : count.get();
  }

  @Override
  public void run(ShuffleMapStage stage, TaskPool local) {
    ShuffleId id = stage.id();
    Map<Integer, byte[]> plans =
        id == null || localOnly.contains(List.of(id.nodeId(), id.index()))
            ? null
            : RemoteMapInputs.of(graph, stage);
    if (plans == null || registry.executorsReady() == 0) {
      LOCAL.run(stage, local);
      return;
    }
    StageRun run = new StageRun(stage, plans, local);
    running.add(run);
    try {
      run.run();
    } finally {
      running.remove(run);
      inFlight.values().removeIf(a -> a.run == run);
    }
  }

  @Override
  public void taskResult(ExecutorInfo executor, TaskResult result) {
    if (result instanceof StateTaskDone) {
      return; // a state task's answer, for the state runner
    }
    if (overdue.remove(result.taskId()) != null) {
      LOG.debug(
          "dropped the late answer of task {} from executor {}: it ran in the driver",
          result.taskId(),
          executor.executorId());
      return;
    }
    Attempt attempt = inFlight.get(result.taskId());
    if (attempt == null || attempt.sessionId != result.sessionId()) {
      LOG.debug("dropped the answer of task {}: no longer waited for", result.taskId());
      return;
    }
    attempt.run.events.add(new Answered(attempt, result));
  }

  @Override
  public void executorLost(ExecutorInfo executor, String reason) {
    overdue.values().removeIf(sessionId -> sessionId == executor.sessionId());
    for (StageRun run : running) {
      run.events.add(new SessionEnded(executor.sessionId()));
    }
  }

  /** One dispatch of a map task to one executor session. */
  private record Attempt(
      StageRun run,
      long taskId,
      int mapTask,
      String executorId,
      String host,
      long sessionId,
      long sentAtNanos) {}

  private sealed interface Event permits Answered, SessionEnded {}

  private record Answered(Attempt attempt, TaskResult result) implements Event {}

  private record SessionEnded(long sessionId) implements Event {}

  /** The map tasks of one shuffle, until every one has output. Owned by the calling thread. */
  private final class StageRun {
    final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ShuffleMapStage stage;
    private final Map<Integer, byte[]> plans;
    private final TaskPool local;
    private final Deque<Integer> pending = new ArrayDeque<>();
    private final Map<Long, Attempt> mine = new HashMap<>();
    private final Map<Long, Integer> busyBySession = new HashMap<>();
    // The graph's streams, copied once per stage rather than once per task result.
    private final List<StreamNode<?>> nodes = graph.nodes();
    private int done;

    StageRun(ShuffleMapStage stage, Map<Integer, byte[]> plans, TaskPool local) {
      this.stage = stage;
      this.plans = plans;
      this.local = local;
      for (int m = 0; m < stage.mapTasks(); m++) {
        pending.add(m);
      }
    }

    void run() {
      while (done < stage.mapTasks()) {
        dispatch();
        if (mine.isEmpty() && !pending.isEmpty()) {
          runLocally();
          continue;
        }
        Event event;
        try {
          event = events.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TaskFailedException(-1, e);
        }
        if (event instanceof Answered answered) {
          answered(answered.attempt(), answered.result());
        } else if (event instanceof SessionEnded ended) {
          requeue(ended.sessionId());
        }
        runTimedOut();
      }
    }

    /**
     * Runs in the driver every task whose executor has not answered within the task timeout. Its
     * core stays counted busy until the executor answers: it is still running the task.
     */
    private void runTimedOut() {
      long now = System.nanoTime();
      List<Attempt> late =
          mine.values().stream()
              .filter(a -> now - a.sentAtNanos() >= taskTimeout.toNanos())
              .toList();
      for (Attempt attempt : late) {
        // Overdue before no longer in flight, so that an answer arriving between is dropped there.
        overdue.put(attempt.taskId(), attempt.sessionId());
        mine.remove(attempt.taskId());
        inFlight.remove(attempt.taskId());
        busyBySession.merge(attempt.sessionId(), -1, Integer::sum);
        LOG.warn(
            "map task {} of {} (batch {}) got no answer from executor {} within {} ms; running it"
                + " in the driver and ignoring the executor's late answer",
            attempt.mapTask(),
            stage.id(),
            stage.id().batchTime(),
            attempt.executorId(),
            taskTimeout.toMillis());
        retries.taskRetried(TaskRetryListener.Reason.TIMED_OUT);
        local.trace().taskRetried();
        local.runTasks(1, i -> stage.runLocally(attempt.mapTask()));
        done++;
      }
    }

    private void dispatch() {
      while (!pending.isEmpty()) {
        ExecutorInfo executor = nextFree();
        if (executor == null) {
          return;
        }
        int m = pending.poll();
        long taskId = registry.newTaskId();
        Attempt attempt =
            new Attempt(
                this,
                taskId,
                m,
                executor.executorId(),
                executor.host(),
                executor.sessionId(),
                System.nanoTime());
        inFlight.put(taskId, attempt);
        mine.put(taskId, attempt);
        busyBySession.merge(executor.sessionId(), 1, Integer::sum);
        RunShuffleMap task =
            new RunShuffleMap(
                taskId,
                registry.epoch(),
                executor.sessionId(),
                graph.zeroTime(),
                stage.id(),
                m,
                stage.reducePartitions(),
                plans);
        if (!registry.send(executor.executorId(), executor.sessionId(), task)) {
          // Lost since it was listed; the registry's loss event requeues the task.
          events.add(new SessionEnded(executor.sessionId()));
          return;
        }
      }
    }

    /** The next registered executor, round-robin, with a free core; null if none. */
    private ExecutorInfo nextFree() {
      List<ExecutorInfo> executors = registry.executors();
      for (int i = 0; i < executors.size(); i++) {
        ExecutorInfo candidate = executors.get(Math.floorMod(cursor++, executors.size()));
        long overdueTasks =
            overdue.values().stream()
                .filter(sessionId -> sessionId == candidate.sessionId())
                .count();
        if (busyBySession.getOrDefault(candidate.sessionId(), 0) + overdueTasks
            < candidate.cores()) {
          return candidate;
        }
      }
      return null;
    }

    /** No executor is left to take the pending tasks: the driver's threads run them. */
    private void runLocally() {
      List<Integer> tasks = new ArrayList<>(pending);
      pending.clear();
      LOG.info(
          "{}: no executor is registered to run {} map tasks; running them in the driver",
          stage.id(),
          tasks.size());
      local.runTasks(tasks.size(), i -> stage.runLocally(tasks.get(i)));
      done += tasks.size();
    }

    private void answered(Attempt attempt, TaskResult result) {
      if (mine.remove(attempt.taskId()) == null) {
        // Queued before its task timed out: the driver has run it; the core is free again.
        overdue.remove(attempt.taskId());
        return;
      }
      inFlight.remove(attempt.taskId());
      busyBySession.merge(attempt.sessionId(), -1, Integer::sum);
      String failure;
      if (result instanceof ShuffleMapDone output) {
        failure = accept(attempt, output);
      } else {
        failure = ((TaskFailed) result).message();
      }
      if (failure != null) {
        ShuffleId id = stage.id();
        if (localOnly.add(List.of(id.nodeId(), id.index()))) {
          LOG.info(
              "map task {} of {} failed on executor {} ({}); this shuffle of {} runs in the"
                  + " driver from now on",
              attempt.mapTask(),
              id,
              attempt.executorId(),
              failure,
              graph.nodes().get(id.nodeId()).name());
        }
        retries.taskRetried(TaskRetryListener.Reason.FAILED);
        local.trace().taskRetried();
        local.runTasks(1, i -> stage.runLocally(attempt.mapTask()));
      }
      done++;
    }

    /** Keeps the output of a finished task; the reason if it cannot be used. */
    private String accept(Attempt attempt, ShuffleMapDone output) {
      List<List<Object>> buckets = new ArrayList<>(output.buckets().size());
      long bytes = 0;
      try {
        for (byte[] bucket : output.buckets()) {
          buckets.add(codec.decode(bucket));
          bytes += bucket.length;
        }
        stage.accept(attempt.mapTask(), buckets);
        countInputs(output);
      } catch (RuntimeException e) {
        return "its output cannot be used here: " + e;
      }
      StageTrace trace = local.trace();
      trace.ranOnExecutor(attempt.executorId(), attempt.host(), 1);
      trace.shuffleBytes(bytes);
      completed.computeIfAbsent(attempt.executorId(), k -> new AtomicLong()).incrementAndGet();
      return null;
    }

    /** Hands the input counts the executor made to the batch's inputs in the driver. */
    private void countInputs(ShuffleMapDone output) {
      long time = stage.id().batchTime();
      for (InputRecords counted : output.inputRecords()) {
        int node = counted.inputNode();
        if (node >= 0
            && node < nodes.size()
            && nodes.get(node) instanceof InputNode<?> input
            && input.planned(time) instanceof CountedInput in) {
          in.countedElsewhere(counted.partition(), counted.records());
        } else {
          throw new IllegalArgumentException(
              "it counts records of node " + node + ", which has no countable input for the batch");
        }
      }
    }

    private void requeue(long sessionId) {
      for (var it = mine.values().iterator(); it.hasNext(); ) {
        Attempt attempt = it.next();
        if (attempt.sessionId() == sessionId) {
          it.remove();
          inFlight.remove(attempt.taskId());
          pending.addFirst(attempt.mapTask());
          retries.taskRetried(TaskRetryListener.Reason.EXECUTOR_LOST);
          local.trace().taskRetried();
          LOG.info(
              "map task {} of {} goes elsewhere: executor {} session {} is lost",
              attempt.mapTask(),
              stage.id(),
              attempt.executorId(),
              sessionId);
        }
      }
      busyBySession.remove(sessionId);
    }
  }
}
