package dev.millrace.runtime.source;

import dev.millrace.runtime.dataset.CountedInput;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.PartitionCounts;
import dev.millrace.streaming.Source;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * One batch of a {@link Source}: a partition per part of the batch's plan, each read through the
 * source when a task computes it, on whichever process runs the task; a process that computes no
 * partition reads nothing. An empty plan is one empty partition.
 *
 * <p>Each partition is counted as a task reads it, and the driver takes the counts of partitions
 * executors read ({@link #countedElsewhere}): the batch's record count (for the status and for
 * backpressure) then costs no second read of the source. When every part is counted, an {@link
 * EngineSource} hears the total ({@link EngineSource#planRead}).
 *
 * <p>The records of a part are read again by each reader (another output, another shuffle), unless
 * the source is an {@link EngineSource} that {@linkplain EngineSource#keepsReadParts keeps read
 * parts}: then the first reader keeps them for the others.
 *
 * @param <T> record type
 * @param <P> the source's plan part
 */
final class PlannedDataset<T, P> extends Dataset<T> implements CountedInput {
  private final Source<T, P> source;
  private final EngineSource<T, P> own; // null for an application's source
  private final List<P> plan;
  private final PartitionCounts counts;
  private final AtomicReferenceArray<List<T>> kept; // null unless the source keeps read parts

  PlannedDataset(Source<T, P> source, List<P> plan) {
    this.source = source;
    this.own = source instanceof EngineSource<T, P> e ? e : null;
    this.plan = List.copyOf(plan);
    this.counts = new PartitionCounts(this.plan.size());
    this.kept =
        own != null && own.keepsReadParts() ? new AtomicReferenceArray<>(this.plan.size()) : null;
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
    if (kept != null) {
      List<T> records = kept(partition);
      for (int i = 0, n = records.size(); i < n; i++) {
        out.accept(records.get(i));
      }
      return;
    }
    Iterator<T> records = source.read(plan.get(partition));
    long n = 0;
    while (records.hasNext()) {
      out.accept(records.next());
      n++;
    }
    counted(partition, n);
  }

  private List<T> kept(int partition) {
    List<T> records = kept.get(partition);
    if (records == null) {
      // Two tasks reading the same part at once both read it; they keep equal lists.
      kept.compareAndSet(partition, null, own.readAll(plan.get(partition)));
      records = kept.get(partition);
      counted(partition, records.size());
    }
    return records;
  }

  private void counted(int partition, long records) {
    if (counts.count(partition, records) && own != null) {
      own.planRead(plan, counts.total());
    }
  }

  /** The records of the batch, reading every part no task has counted yet. */
  @Override
  public long size() {
    long total = 0;
    for (int i = 0; i < plan.size(); i++) {
      if (!counts.isCounted(i)) {
        if (kept != null) {
          kept(i);
        } else {
          compute(i, r -> {});
        }
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
      String part = own == null ? "part" : own.partName();
      throw new IllegalArgumentException(
          "source '"
              + source.name()
              + "' has "
              + plan.size()
              + " "
              + part
              + "s in this batch; a count of "
              + records
              + " records for "
              + part
              + " "
              + partition
              + " cannot be one of them");
    }
    counted(partition, records);
  }

  @Override
  public List<Dataset<?>> parents() {
    return List.of();
  }
}
