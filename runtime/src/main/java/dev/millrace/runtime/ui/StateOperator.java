package dev.millrace.runtime.ui;

import java.util.List;

/**
 * One stateful operator as the State page and {@code /api/v1/state} show it.
 *
 * @param name the stream's name, as the status and the metrics name it, e.g. {@code
 *     updateStateByKey#4}
 * @param operation what the application wrote, with the parameters its checkpoint depends on, e.g.
 *     {@code updateStateByKey} or {@code reduceByKeyAndWindow(length=30000ms, slide=10000ms)}
 * @param partitions its partitions; 1 for a state kept whole (a plain window)
 * @param owners who keeps each partition now, by partition: {@code driver}, an executor's id, or
 *     {@code none} for a partition waiting for a live owner
 * @param checkpointBatchTime the batch of the newest generation this driver wrote, which {@code
 *     keys} and {@code bytes} are of; null before one
 * @param keys its records in that generation (keys for {@code updateStateByKey}, the open window's
 *     records for a window); null before one, and while executors keep the state (their part files
 *     hold it)
 * @param bytes its snapshot's bytes in that generation; null as {@code keys} is
 */
public record StateOperator(
    String name,
    String operation,
    int partitions,
    List<String> owners,
    Long checkpointBatchTime,
    Long keys,
    Long bytes) {

  /** Who keeps a partition the driver keeps. */
  public static final String DRIVER = "driver";

  /** Who keeps a partition waiting for a live owner. */
  public static final String NONE = "none";

  /** Copies the owners. */
  public StateOperator {
    owners = List.copyOf(owners);
  }
}
