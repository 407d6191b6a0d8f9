package dev.millrace.runtime.task;

import java.util.Map;

/**
 * One stage of a batch as its {@link BatchTrace} saw it: a shuffle, a state update, another stage
 * boundary, or the narrow tasks an output operation (or the batch's own work) ran.
 *
 * @param kind what sort of stage it is
 * @param name what the user wrote: the operator and its stream (e.g. {@code reduceByKey#3}), or the
 *     output operation and the stream it writes out (e.g. {@code foreachBatch of map#2})
 * @param startTime when it began, epoch milliseconds
 * @param durationMicros how long it took, from its first task to its end
 * @param tasks how many tasks it ran, each counted once where it finally ran
 * @param tasksRetried how many of them ran again (an executor lost, failing or silent)
 * @param tasksByExecutor how many tasks each process ran: {@code driver}, or an executor's id
 * @param hosts the host of each executor in {@code tasksByExecutor}
 * @param shuffleBytes a shuffle's map output bytes that came from executors (0 when every map task
 *     ran in the driver, where the output stays in memory); -1 for a stage that is no shuffle
 */
public record StageInfo(
    Kind kind,
    String name,
    long startTime,
    long durationMicros,
    int tasks,
    int tasksRetried,
    Map<String, Integer> tasksByExecutor,
    Map<String, String> hosts,
    long shuffleBytes) {

  /** The process name of tasks run on the driver's own threads. */
  public static final String DRIVER = "driver";

  /** What sort of stage. */
  public enum Kind {
    /** The narrow tasks of an output operation, or of the batch's own work (counting its input). */
    OUTPUT,
    /** The map and reduce tasks of a shuffle. */
    SHUFFLE,
    /** The partitions of a state updated ({@code updateStateByKey}, a windowed reduce). */
    STATE,
    /** Another stage boundary: a cache, a repartition, an aggregate, a cogroup. */
    OTHER
  }

  /** Copies the maps. */
  public StageInfo {
    tasksByExecutor = Map.copyOf(tasksByExecutor);
    hosts = Map.copyOf(hosts);
  }
}
