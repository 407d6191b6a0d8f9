package dev.millrace.runtime.task;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.StageBoundary;
import dev.millrace.runtime.dataset.StageTrace;
import dev.millrace.runtime.dataset.TaskPool;
import dev.millrace.runtime.shuffle.ShuffleBoundary;
import dev.millrace.runtime.shuffle.ShuffleMapRunner;
import dev.millrace.runtime.state.StateBoundary;
import dev.millrace.runtime.state.StateUpdateRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs the tasks of a batch on a fixed pool of threads: the {@code N} of {@code local[N]}.
 *
 * <p>Only the batch-processing thread submits work, one stage at a time; tasks never submit tasks,
 * so the pool cannot deadlock on itself.
 */
public final class TaskRunner implements TaskPool, AutoCloseable {
  private final int threads;
  private final ExecutorService pool;
  private final ShuffleMapRunner shuffleMapRunner;
  private final StateUpdateRunner stateUpdateRunner;
  private volatile BatchTrace trace;

  /**
   * A runner with {@code threads} task threads named after {@code appName}, running every task
   * here.
   */
  public TaskRunner(int threads, String appName) {
    this(threads, appName, ShuffleMapRunner.LOCAL, StateUpdateRunner.LOCAL);
  }

  /**
   * A runner as above that runs the map tasks of shuffles through {@code shuffleMapRunner} and
   * updates and keeps the partitions of keyed state through {@code stateUpdateRunner}.
   */
  public TaskRunner(
      int threads,
      String appName,
      ShuffleMapRunner shuffleMapRunner,
      StateUpdateRunner stateUpdateRunner) {
    if (threads < 1) {
      throw new IllegalArgumentException("a task runner needs at least 1 thread, got " + threads);
    }
    this.threads = threads;
    this.shuffleMapRunner = Objects.requireNonNull(shuffleMapRunner, "shuffleMapRunner");
    this.stateUpdateRunner = Objects.requireNonNull(stateUpdateRunner, "stateUpdateRunner");
    AtomicInteger ids = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "millrace-task-" + appName + "-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Where the map tasks of shuffles run. */
  public ShuffleMapRunner shuffleMapRunner() {
    return shuffleMapRunner;
  }

  /** Where the partitions of {@code updateStateByKey} are updated and kept. */
  public StateUpdateRunner stateUpdateRunner() {
    return stateUpdateRunner;
  }

  /** The number of task threads, which is also the default number of partitions. */
  public int parallelism() {
    return threads;
  }

  /**
   * Runs {@code task.accept(i)} for every {@code i} in {@code [0, count)} in parallel and waits for
   * all of them. A single task runs on the calling thread.
   *
   * @throws TaskFailedException for the lowest-numbered task that failed, after all have ended
   */
  @Override
  public void runTasks(int count, IntConsumer task) {
    BatchTrace batch = trace;
    if (batch == null || !batch.isProcessingThread()) {
      run(count, task);
      return;
    }
    batch.runningHere(count);
    try {
      run(count, task);
    } finally {
      batch.ranHere();
    }
  }

  @Override
  public void runRemoteCalls(int count, IntConsumer call) {
    run(count, call);
  }

  @Override
  public StageTrace trace() {
    BatchTrace batch = trace;
    return batch == null ? StageTrace.NONE : batch;
  }

  /**
   * Traces the stages of the batch the calling thread processes into {@code batch} from now on;
   * none, with null. Set by the batch-processing thread, the only one that submits work.
   */
  public void trace(BatchTrace batch) {
    trace = batch;
  }

  private void run(int count, IntConsumer task) {
    if (count == 1) {
      runOne(0, task);
      return;
    }
    List<Future<?>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      final int index = i;
      futures.add(pool.submit(() -> runOne(index, task)));
    }
    RuntimeException first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first =
              e.getCause() instanceof RuntimeException re
                  ? re
                  : new TaskFailedException(-1, e.getCause());
        }
      } catch (InterruptedException e) {
        futures.forEach(x -> x.cancel(true));
        Thread.currentThread().interrupt();
        throw new TaskFailedException(-1, e);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void runOne(int index, IntConsumer task) {
    try {
      task.accept(index);
    } catch (TaskFailedException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      throw new TaskFailedException(index, e);
    }
  }

  /**
   * Materializes every unprepared stage boundary that {@code roots} depend on, parents before
   * children: shuffles with this runner's {@link #shuffleMapRunner}, state with its {@link
   * #stateUpdateRunner}.
   */
  public void prepare(List<? extends Dataset<?>> roots) {
    for (Dataset<?> ds : dependencyOrder(roots)) {
      if (ds instanceof StageBoundary b && !b.isMaterialized()) {
        materialize(b);
      }
    }
  }

  private void materialize(StageBoundary boundary) {
    BatchTrace batch = trace;
    if (batch == null || !batch.isProcessingThread()) {
      materialize(boundary, shuffleMapRunner, stateUpdateRunner);
      return;
    }
    batch.beginBoundary(kindOf(boundary), nameOf(boundary));
    try {
      materialize(
          boundary,
          (stage, local) -> {
            if (stage.id() != null) {
              batch.boundaryOfNode(stage.id().nodeId());
            }
            shuffleMapRunner.run(stage, local);
          },
          (stage, local) -> {
            batch.boundaryOfNode(stage.nodeId());
            stateUpdateRunner.run(stage, local);
          });
    } finally {
      batch.endBoundary();
    }
  }

  private void materialize(
      StageBoundary boundary, ShuffleMapRunner maps, StateUpdateRunner updates) {
    if (boundary instanceof ShuffleBoundary shuffle) {
      shuffle.materialize(this, maps);
    } else if (boundary instanceof StateBoundary state) {
      state.materialize(this, updates);
    } else {
      boundary.materialize(this);
    }
  }

  private static StageInfo.Kind kindOf(StageBoundary boundary) {
    if (boundary instanceof ShuffleBoundary) {
      return StageInfo.Kind.SHUFFLE;
    }
    return boundary instanceof StateBoundary ? StageInfo.Kind.STATE : StageInfo.Kind.OTHER;
  }

  // A boundary's name for traces, by its class, made once per class rather than once per stage.
  private static final ClassValue<String> BOUNDARY_NAMES =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          return type.getSimpleName().replace("Dataset", "");
        }
      };

  /**
   * What a boundary is called until its runner names its stream: the dataset's type without its
   * suffix, e.g. {@code Cached} or {@code CoGroup}.
   */
  private static String nameOf(StageBoundary boundary) {
    return BOUNDARY_NAMES.get(boundary.getClass());
  }

  /**
   * Every dataset reachable from {@code roots}, each after all of its parents. Iterative: lineage
   * can be deep, recursion is not safe. Lineage is a DAG (state at t reads state at t - 1, and a
   * window may read both), so a node is emitted only once every parent is.
   */
  static List<Dataset<?>> dependencyOrder(List<? extends Dataset<?>> roots) {
    List<Dataset<?>> order = new ArrayList<>();
    Set<Dataset<?>> expanded = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Dataset<?>> emitted = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Dataset<?>> stack = new ArrayDeque<>(roots);
    while (!stack.isEmpty()) {
      Dataset<?> ds = stack.peek();
      if (emitted.contains(ds)) {
        stack.pop();
      } else if (expanded.add(ds)) {
        for (Dataset<?> parent : ds.parents()) {
          if (!emitted.contains(parent)) {
            stack.push(parent);
          }
        }
      } else {
        stack.pop();
        emitted.add(ds);
        order.add(ds);
      }
    }
    return order;
  }

  /** Prepares {@code ds} and returns all of its records in partition order. */
  public <T> List<T> collect(Dataset<T> ds) {
    prepare(List.of(ds));
    int n = ds.numPartitions();
    @SuppressWarnings("unchecked")
    List<T>[] parts = new List[n];
    runTasks(n, p -> parts[p] = ds.collectPartition(p));
    int size = 0;
    for (List<T> part : parts) {
      size += part.size();
    }
    List<T> all = new ArrayList<>(size);
    for (List<T> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  /** Prepares {@code ds} and counts its records. */
  public long count(Dataset<?> ds) {
    prepare(List.of(ds));
    int n = ds.numPartitions();
    long[] counts = new long[n];
    runTasks(
        n,
        p -> {
          long[] c = {0};
          ds.compute(p, x -> c[0]++);
          counts[p] = c[0];
        });
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
