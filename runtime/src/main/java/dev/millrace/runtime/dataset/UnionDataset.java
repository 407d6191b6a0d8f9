package dev.millrace.runtime.dataset;

import java.util.List;
import java.util.function.Consumer;

/** The partitions of several datasets side by side, in order: no data moves. */
public final class UnionDataset<T> extends Dataset<T> {
  private final List<Dataset<? extends T>> members;
  private final int[] firstPartition;
  private final int total;

  /** The union of {@code members}, whose partitions keep their order. */
  public UnionDataset(List<Dataset<? extends T>> members) {
    this.members = List.copyOf(members);
    this.firstPartition = new int[this.members.size()];
    int sum = 0;
    for (int i = 0; i < this.members.size(); i++) {
      firstPartition[i] = sum;
      sum += this.members.get(i).numPartitions();
    }
    this.total = sum;
  }

  @Override
  public int numPartitions() {
    return total;
  }

  @Override
  public void compute(int partition, Consumer<? super T> out) {
    int i = members.size() - 1;
    while (firstPartition[i] > partition) {
      i--;
    }
    members.get(i).compute(partition - firstPartition[i], out);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<Dataset<?>> parents() {
    return (List) members;
  }
}
