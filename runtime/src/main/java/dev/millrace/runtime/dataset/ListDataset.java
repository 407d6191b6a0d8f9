package dev.millrace.runtime.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/** Records already in memory, one list per partition: received input, a cache, a static dataset. */
public final class ListDataset<T> extends Dataset<T> implements Sized {
  private final List<List<T>> partitions;

  /** A dataset over {@code partitions}, which the caller no longer modifies. */
  public ListDataset(List<List<T>> partitions) {
    this.partitions = partitions;
  }

  /** {@code records} cut into {@code n} contiguous slices of near-equal size, order kept. */
  public static <T> ListDataset<T> sliced(List<T> records, int n) {
    int parts = Math.max(1, n);
    List<List<T>> slices = new ArrayList<>(parts);
    int size = records.size();
    for (int i = 0; i < parts; i++) {
      int from = (int) ((long) size * i / parts);
      int to = (int) ((long) size * (i + 1) / parts);
      slices.add(records.subList(from, to));
    }
    return new ListDataset<>(slices);
  }

  /** A dataset with {@code n} empty partitions. */
  public static <T> ListDataset<T> empty(int n) {
    return new ListDataset<>(Collections.nCopies(Math.max(1, n), List.of()));
  }

  /** The number of records held. */
  @Override
  public long size() {
    long total = 0;
    for (List<T> p : partitions) {
      total += p.size();
    }
    return total;
  }

  @Override
  public int numPartitions() {
    return partitions.size();
  }

  @Override
  public void compute(int partition, Consumer<? super T> out) {
    List<T> part = partitions.get(partition);
    for (int i = 0, n = part.size(); i < n; i++) {
      out.accept(part.get(i));
    }
  }

  @Override
  public List<T> collectPartition(int partition) {
    return new ArrayList<>(partitions.get(partition));
  }

  @Override
  public List<Dataset<?>> parents() {
    return List.of();
  }
}
