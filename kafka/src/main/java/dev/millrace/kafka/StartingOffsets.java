package dev.millrace.kafka;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the first batch of an application that has no checkpoint starts in each partition. After a
 * restart the position comes from the batch log, never from here.
 */
public sealed interface StartingOffsets {

  /** The earliest offset the broker still holds. */
  record Earliest() implements StartingOffsets {}

  /** The end of each partition at the first plan: only records produced later are read. */
  record Latest() implements StartingOffsets {}

  /**
   * Given offsets; partitions not listed (including partitions of topics matched later) start at
   * their earliest offset.
   */
  record Offsets(Map<TopicPartition, Long> offsets) implements StartingOffsets {
    public Offsets {
      offsets = Map.copyOf(offsets);
    }
  }

  /**
   * The first offset whose record timestamp is at or after {@code epochMillis}; the end of the
   * partition where no record is that new.
   */
  record Timestamp(long epochMillis) implements StartingOffsets {}

  /**
   * Parses {@code earliest}, {@code latest}, {@code timestamp:<epoch millis or ISO-8601 instant>}
   * or {@code <topic>:<partition>=<offset>,...}.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  static StartingOffsets parse(String text) {
    if (text.equalsIgnoreCase("earliest")) {
      return new Earliest();
    }
    if (text.equalsIgnoreCase("latest")) {
      return new Latest();
    }
    if (text.startsWith("timestamp:")) {
      return new Timestamp(parseTimestamp(text.substring("timestamp:".length()).trim()));
    }
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      String item = entry.trim();
      int colon = item.lastIndexOf(':');
      int equals = item.indexOf('=', colon + 1);
      if (colon < 1 || equals < 0) {
        throw new IllegalArgumentException(
            "'"
                + item
                + "' is neither earliest, latest, timestamp:<time> nor <topic>:<partition>=<offset>");
      }
      String topic = item.substring(0, colon);
      TopicNames.check(topic);
      long partition = nonNegative(item.substring(colon + 1, equals), "partition", item);
      if (partition > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "partition " + partition + " in '" + item + "' is too large");
      }
      long offset = nonNegative(item.substring(equals + 1), "offset", item);
      if (offsets.put(new TopicPartition(topic, (int) partition), offset) != null) {
        throw new IllegalArgumentException(topic + ":" + partition + " is given twice");
      }
    }
    return new Offsets(offsets);
  }

  private static long parseTimestamp(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException notMillis) {
      try {
        return Instant.parse(text).toEpochMilli();
      } catch (DateTimeParseException notInstant) {
        throw new IllegalArgumentException(
            "timestamp '" + text + "' is neither epoch milliseconds nor an ISO-8601 instant");
      }
    }
  }

  private static long nonNegative(String text, String what, String item) {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          what + " '" + text + "' in '" + item + "' is not a number");
    }
    if (value < 0) {
      throw new IllegalArgumentException(what + " " + value + " in '" + item + "' is negative");
    }
    return value;
  }
}
