package dev.millrace.kafka;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One batch's plan: a range for every partition read (empty ranges too, so the plan alone gives the
 * position of every partition for the next batch), and how many offsets were skipped because
 * retention had deleted them under {@code failOnDataLoss=false}. The value that goes into the batch
 * log before the batch runs; a replay reads exactly these ranges.
 *
 * @param ranges one per partition, in the order the planner found them
 * @param skippedOffsets offsets below the earliest the broker held that this plan skipped
 */
public record OffsetRangePlan(List<OffsetRange> ranges, long skippedOffsets) {
  private static final byte FORMAT = 'K';
  private static final byte VERSION = 1;

  public OffsetRangePlan {
    ranges = List.copyOf(ranges);
    if (skippedOffsets < 0) {
      throw new IllegalArgumentException("skipped offsets " + skippedOffsets + " are negative");
    }
  }

  /** Where each partition's next batch starts: the until of its range. */
  public Map<TopicPartition, Long> untils() {
    Map<TopicPartition, Long> untils = new HashMap<>();
    for (OffsetRange range : ranges) {
      untils.merge(range.topicPartition(), range.until(), Math::max);
    }
    return untils;
  }

  /** Offsets the batch spans in all (an upper bound of its records). */
  public long size() {
    return ranges.stream().mapToLong(OffsetRange::size).sum();
  }

  /**
   * The ranges tasks read: the non-empty ones, each cut into pieces of at most {@code
   * maxRecordsPerTask} offsets.
   */
  public List<OffsetRange> tasks(long maxRecordsPerTask) {
    List<OffsetRange> tasks = new ArrayList<>();
    for (OffsetRange range : ranges) {
      if (range.size() > 0) {
        tasks.addAll(range.split(maxRecordsPerTask));
      }
    }
    return tasks;
  }

  /**
   * The stable encoding for the batch log: a format byte {@code 'K'} (so another source's plan is
   * refused, not misread), a version byte, the skipped count, the number of ranges and each range
   * as {@link OffsetRange#writeTo} writes it.
   */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + ranges.size() * 32);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeByte(VERSION);
      out.writeLong(skippedOffsets);
      out.writeInt(ranges.size());
      for (OffsetRange range : ranges) {
        range.writeTo(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes {@link #toBytes}.
   *
   * @throws IllegalArgumentException if {@code bytes} are not a Kafka plan of a version this build
   *     reads
   */
  public static OffsetRangePlan fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length < 2 || bytes[0] != FORMAT) {
      throw new IllegalArgumentException(
          "expected a Kafka offset range plan (starting with 'K'), got "
              + (bytes == null ? "null" : bytes.length + " bytes"));
    }
    if (bytes[1] != VERSION) {
      throw new IllegalArgumentException(
          "Kafka offset range plan version "
              + bytes[1]
              + " was written by another build; this one reads version "
              + VERSION);
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 2, bytes.length - 2));
    try {
      long skipped = in.readLong();
      int count = in.readInt();
      if (count < 0) {
        throw new IllegalArgumentException("Kafka offset range plan with " + count + " ranges");
      }
      List<OffsetRange> ranges = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        ranges.add(OffsetRange.readFrom(in));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException(
            "Kafka offset range plan has " + in.available() + " bytes after its last range");
      }
      return new OffsetRangePlan(ranges, skipped);
    } catch (EOFException e) {
      throw new IllegalArgumentException(
          "Kafka offset range plan of " + bytes.length + " bytes is cut short", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Kafka offset range plan cannot be read: " + e.getMessage(), e);
    }
  }
}
