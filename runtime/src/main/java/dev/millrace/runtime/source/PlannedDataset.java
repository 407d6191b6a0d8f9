package dev.millrace.runtime.source;

import dev.millrace.runtime.dataset.CountedInput;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.PartitionCounts;
import dev.millrace.streaming.Source;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One batch of a {@link Source}: a partition per part of the batch's plan, each read through the
 * source when a task computes it, on whichever process runs the task.
 *
 * <p>Each partition is counted as a task reads it, and the driver takes the counts of partitions
 * executors read ({@link #countedElsewhere}): the batch's record count (for the status and for
 * backpressure) then costs no second read of the source.
 *
 * @param <T> record type
 * @param <P> the source's plan part
 */
final class PlannedDataset<T, P> extends Dataset<T> implements CountedInput {
  private final Source<T, P> source;
  private final List<P> plan;
  private final PartitionCounts counts;

  PlannedDataset(Source<T, P> source, List<P> plan) {
    this.source = source;
    this.plan = List.copyOf(plan);
    this.counts = new PartitionCounts(this.plan.size());
  }

  /** The parts this batch reads. */
  List<P> plan() {
    return plan;
  }

  /** One partition even for an empty plan: every dataset has at least one. */
  @Override
  public int numPartitions() {
    return Math.max(1, plan.size());
  }

  @Override
  public void compute(int partition, Consumer<? super T> out) {
    if (plan.isEmpty()) {
      return;
    }
    Iterator<T> records = source.read(plan.get(partition));
    long n = 0;
    while (records.hasNext()) {
      out.accept(records.next());
      n++;
    }
    counts.count(partition, n);
  }

  /** The records of the batch, reading every part no task has counted yet. */
  @Override
  public long size() {
    long total = 0;
    for (int i = 0; i < plan.size(); i++) {
      if (!counts.isCounted(i)) {
        compute(i, r -> {});
      }
      total += counts.get(i);
    }
    return total;
  }

  @Override
  public Map<Integer, Long> countedPartitions() {
    return counts.counted();
  }

  @Override
  public void countedElsewhere(int partition, long records) {
    if (partition < 0 || partition >= plan.size() || records < 0) {
      throw new IllegalArgumentException(
          "source '"
              + source.name()
              + "' planned "
              + plan.size()
              + " parts for this batch; a count of "
              + records
              + " records for part "
              + partition
              + " cannot be one of them");
    }
    counts.count(partition, records);
  }

  @Override
  public List<Dataset<?>> parents() {
    return List.of();
  }
}
