package dev.millrace.runtime.source;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.streaming.Source;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * One batch of a {@link Source}: a partition per part of the batch's plan, each read through the
 * source when a task computes it, on whichever process runs the task.
 *
 * @param <T> record type
 * @param <P> the source's plan part
 */
final class PlannedDataset<T, P> extends Dataset<T> {
  private final Source<T, P> source;
  private final List<P> plan;

  PlannedDataset(Source<T, P> source, List<P> plan) {
    this.source = source;
    this.plan = List.copyOf(plan);
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
    while (records.hasNext()) {
      out.accept(records.next());
    }
  }

  @Override
  public List<Dataset<?>> parents() {
    return List.of();
  }
}
