package dev.millrace.runtime.checkpoint;

import dev.millrace.runtime.checkpoint.CheckpointStore.StatePart;
import dev.millrace.runtime.codec.RecordCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A state snapshot whose partitions the executors owning them wrote as files of their own ({@link
 * CheckpointStore#writeStatePart}): the generation holds only a reference, naming the batch, the
 * node and each part's length and CRC32, where the snapshot's records (or one list of them) would
 * otherwise be. {@link #resolve} puts the records back, reading only the partitions asked for.
 */
public final class StateParts {
  private static final String MARKER = "millrace.state-parts/1";

  private StateParts() {}

  /**
   * The reference to the parts of node {@code nodeId} written for the generation of batch {@code
   * checkpointTime}, in partition order.
   */
  public static List<Object> reference(long checkpointTime, int nodeId, List<StatePart> parts) {
    List<Object> sizes = new ArrayList<>(2 * parts.size());
    for (StatePart part : parts) {
      sizes.add(part.length());
      sizes.add(part.crc32());
    }
    return List.of(MARKER, checkpointTime, nodeId, sizes);
  }

  /**
   * {@code records} with every top-level {@link #reference} replaced by the list of the records of
   * the parts {@code partitions} accepts, in partition order.
   *
   * @throws CheckpointException if a part is missing or damaged
   */
  public static List<Object> resolve(
      List<Object> records, CheckpointStore store, RecordCodec codec, IntPredicate partitions) {
    List<Object> resolved = new ArrayList<>(records.size());
    for (Object record : records) {
      resolved.add(isReference(record) ? read((List<?>) record, store, codec, partitions) : record);
    }
    return resolved;
  }

  /**
   * {@code records} with every top-level {@link #reference} replaced by the records of part {@code
   * partition}, for a reader whose state has {@code partitions} partitions. A reference with
   * another number of parts was written before the partition count changed (a restart with another
   * {@code millrace.default.parallelism}): the keys of {@code partition} lie in parts of other
   * numbers there, so every part is read and the caller keeps the keys its partitioner places in
   * {@code partition}.
   *
   * @throws CheckpointException if a part that is read is missing or damaged
   */
  public static List<Object> resolvePartition(
      List<Object> records,
      CheckpointStore store,
      RecordCodec codec,
      int partition,
      int partitions) {
    List<Object> resolved = new ArrayList<>(records.size());
    for (Object record : records) {
      if (isReference(record)) {
        List<?> reference = (List<?>) record;
        boolean samePartitioning = ((List<?>) reference.get(3)).size() / 2 == partitions;
        resolved.add(read(reference, store, codec, p -> !samePartitioning || p == partition));
      } else {
        resolved.add(record);
      }
    }
    return resolved;
  }

  private static boolean isReference(Object record) {
    return record instanceof List<?> list && !list.isEmpty() && MARKER.equals(list.get(0));
  }

  private static List<Object> read(
      List<?> reference, CheckpointStore store, RecordCodec codec, IntPredicate partitions) {
    long batchTime = (Long) reference.get(1);
    int nodeId = (Integer) reference.get(2);
    List<?> sizes = (List<?>) reference.get(3);
    List<Object> records = new ArrayList<>();
    for (int p = 0; 2 * p + 1 < sizes.size(); p++) {
      if (partitions.test(p)) {
        StatePart expected = new StatePart((Long) sizes.get(2 * p), (Long) sizes.get(2 * p + 1));
        records.addAll(codec.decode(store.readStatePart(batchTime, nodeId, p, expected)));
      }
    }
    return records;
  }
}
