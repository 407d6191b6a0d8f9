package dev.millrace.runtime.task;

import dev.millrace.runtime.dataset.StageTrace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The stages of one batch, collected while it runs for the batch page: which stages ran, how many
 * tasks each ran where, how long they took, how many ran again and the shuffle bytes they moved.
 *
 * <p>Bookkeeping is per stage and per task, never per record: the {@link TaskRunner} opens a stage
 * for each stage boundary it materializes and counts the tasks of each call it runs; tasks run
 * outside a boundary belong to the output operation (or the batch's own work) running then, named
 * by {@link #running}. Stages open and close on the batch-processing thread; the counts of a
 * stage's tasks may come from its task threads too, so a stage's counters are guarded by the stage.
 */
public final class BatchTrace implements StageTrace {
  private final IntFunction<String> nodeNames;
  private final Thread owner = Thread.currentThread();
  private final List<Stage> stages = new ArrayList<>(); // batch thread only
  private final Map<String, String> hosts = new HashMap<>(); // guarded by itself
  private String running = "batch"; // batch thread only
  private Stage outside; // batch thread only: the tasks of what is running, outside a boundary
  private volatile Stage boundary; // set on the batch thread, read by task threads

  /**
   * A trace of one batch, made on the thread that processes it, naming a stage after stream node
   * {@code id} by {@code nodeNames}.
   */
  public BatchTrace(IntFunction<String> nodeNames) {
    this.nodeNames = nodeNames;
  }

  /**
   * Names what runs from now on outside a stage boundary, e.g. {@code foreachBatch of map#2}: its
   * tasks form a stage of their own once it runs one.
   */
  public void running(String name) {
    running = name;
    outside = null;
  }

  void beginBoundary(StageInfo.Kind kind, String name) {
    boundary = open(kind, name);
  }

  /** Names the boundary running now after stream node {@code nodeId}, once its runner knows it. */
  void boundaryOfNode(int nodeId) {
    Stage stage = boundary;
    if (stage != null && nodeId >= 0) {
      stage.name = nodeNames.apply(nodeId);
    }
  }

  void endBoundary() {
    Stage stage = boundary;
    boundary = null;
    stage.end();
  }

  /**
   * Whether the calling thread processes the batch: tasks another thread runs meanwhile (the
   * generator planning the next batch) are none of its stages.
   */
  boolean isProcessingThread() {
    return Thread.currentThread() == owner;
  }

  /** {@code tasks} tasks are about to run on the driver's threads. */
  void runningHere(int tasks) {
    Stage stage = current();
    stage.count(StageInfo.DRIVER, tasks);
  }

  /** A call of the driver's tasks ended: an output's stage ends with its last one. */
  void ranHere() {
    if (boundary == null && outside != null) {
      outside.end();
    }
  }

  @Override
  public void ranOnExecutor(String executorId, String host, int tasks) {
    synchronized (hosts) {
      hosts.putIfAbsent(executorId, host);
    }
    current().count(executorId, tasks);
  }

  @Override
  public void taskRetried() {
    Stage stage = current();
    synchronized (stage) {
      stage.retried++;
    }
  }

  @Override
  public void shuffleBytes(long bytes) {
    Stage stage = current();
    synchronized (stage) {
      stage.shuffleBytes += bytes;
    }
  }

  private Stage current() {
    Stage stage = boundary;
    if (stage != null) {
      return stage;
    }
    if (outside == null) {
      outside = open(StageInfo.Kind.OUTPUT, running);
    }
    return outside;
  }

  private Stage open(StageInfo.Kind kind, String name) {
    Stage stage = new Stage(kind, name);
    stages.add(stage);
    return stage;
  }

  /** The stages so far, in the order they began; call on the batch thread once it is done. */
  public List<StageInfo> stages() {
    List<StageInfo> infos = new ArrayList<>(stages.size());
    for (Stage stage : stages) {
      infos.add(stage.info());
    }
    return infos;
  }

  /** One stage while it runs. */
  private final class Stage {
    final StageInfo.Kind kind;
    final long startTime = System.currentTimeMillis();
    final long startNanos = System.nanoTime();
    String name; // batch thread only
    long endNanos = -1; // guarded by this
    int tasks; // guarded by this
    int retried; // guarded by this
    long shuffleBytes; // guarded by this
    final Map<String, Integer> byProcess = new HashMap<>(4); // guarded by this

    Stage(StageInfo.Kind kind, String name) {
      this.kind = kind;
      this.name = name;
    }

    synchronized void count(String process, int n) {
      tasks += n;
      byProcess.merge(process, n, Integer::sum);
    }

    synchronized void end() {
      endNanos = System.nanoTime();
    }

    synchronized StageInfo info() {
      long end = endNanos < 0 ? System.nanoTime() : endNanos;
      Map<String, String> where = new HashMap<>();
      synchronized (hosts) {
        for (String process : byProcess.keySet()) {
          String host = hosts.get(process);
          if (host != null) {
            where.put(process, host);
          }
        }
      }
      return new StageInfo(
          kind,
          name,
          startTime,
          (end - startNanos) / 1000,
          tasks,
          retried,
          byProcess,
          where,
          kind == StageInfo.Kind.SHUFFLE ? shuffleBytes : -1);
    }
  }
}
