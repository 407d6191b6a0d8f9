package dev.millrace.kafka;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets {@code from} (inclusive) to {@code until} (exclusive) of one partition: what one task
 * of a batch reads. On a transactional topic commit and abort markers take offsets too, so a range
 * may hold fewer visible records than {@link #size}, or none. Pure: no I/O.
 */
public record OffsetRange(String topic, int partition, long from, long until) {

  public OffsetRange {
    TopicNames.check(topic);
    if (partition < 0 || from < 0 || until < from) {
      throw new IllegalArgumentException(
          "offset range "
              + topic
              + ":"
              + partition
              + " ["
              + from
              + ", "
              + until
              + ") is impossible");
    }
  }

  /** The range's partition. */
  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /** How many offsets the range spans (an upper bound of its records). */
  public long size() {
    return until - from;
  }

  /**
   * This range cut into consecutive pieces of at most {@code maxRecordsPerTask} offsets, as even as
   * possible, so several tasks can read one partition's large range in parallel; an empty range
   * stays one piece.
   */
  public List<OffsetRange> split(long maxRecordsPerTask) {
    if (maxRecordsPerTask < 1) {
      throw new IllegalArgumentException("maxRecordsPerTask " + maxRecordsPerTask + " is below 1");
    }
    long pieces =
        Math.max(1, size() / maxRecordsPerTask + (size() % maxRecordsPerTask == 0 ? 0 : 1));
    long base = size() / pieces;
    long longer = size() % pieces;
    List<OffsetRange> split = new ArrayList<>();
    long start = from;
    for (long i = 0; i < pieces; i++) {
      long end = start + base + (i < longer ? 1 : 0);
      split.add(new OffsetRange(topic, partition, start, end));
      start = end;
    }
    return split;
  }

  /**
   * Writes the stable encoding: the topic as modified UTF-8 (at most 249 ASCII characters), the
   * partition as an int, from and until as longs, big-endian. Plans in the batch log keep this
   * layout for as long as a checkpoint may be restored.
   */
  void writeTo(DataOutput out) throws IOException {
    out.writeUTF(topic);
    out.writeInt(partition);
    out.writeLong(from);
    out.writeLong(until);
  }

  /**
   * Reads what {@link #writeTo} wrote.
   *
   * @throws IOException if the input ends early
   * @throws IllegalArgumentException if the values read are not a range
   */
  static OffsetRange readFrom(DataInput in) throws IOException {
    String topic = in.readUTF();
    return new OffsetRange(topic, in.readInt(), in.readLong(), in.readLong());
  }

  @Override
  public String toString() {
    return topic + ":" + partition + " [" + from + ", " + until + ")";
  }
}
