package dev.millrace.bench;

/** The three word-count pipelines both engines run on the same input. */
public enum Workload {
  /** flatMap, mapToPair, reduceByKey, count the result. */
  STATELESS("stateless word count"),
  /** The word count kept across batches with updateStateByKey, checkpointed to local disk. */
  RUNNING("running count (updateStateByKey)"),
  /** reduceByKeyAndWindow with an inverse function over 10 batches, sliding every batch. */
  WINDOWED("windowed count (10 batches, slide 1, inverse reduce)");

  /** Batches in the windowed workload's window. */
  public static final int WINDOW_BATCHES = 10;

  /** Batches between checkpoints of state in the stateful workloads, for both engines. */
  public static final int CHECKPOINT_BATCHES = 10;

  private final String title;

  Workload(String title) {
    this.title = title;
  }

  /** A human title for tables. */
  public String title() {
    return title;
  }

  /** Whether the workload keeps state and so checkpoints. */
  public boolean stateful() {
    return this != STATELESS;
  }
}
