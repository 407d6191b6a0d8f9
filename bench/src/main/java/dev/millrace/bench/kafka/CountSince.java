package dev.millrace.bench.kafka;

/**
 * A word's count in a batch together with the producer timestamp of the oldest input record it
 * counts, packed in one {@code long} so that both engines reduce it exactly as they reduce a plain
 * count (one boxed {@code Long} per word, no extra object): the count in the high 32 bits, the
 * timestamp in the low 32 bits as milliseconds since a base the suite chooses (49 days of range).
 */
public final class CountSince {
  private static final long LOW = 0xffff_ffffL;

  private CountSince() {}

  /** One occurrence of a word in a record produced at {@code timestamp}. */
  public static long one(long timestamp, long base) {
    long since = timestamp - base;
    if (since < 0 || since > LOW) {
      throw new IllegalArgumentException(
          "record timestamp "
              + timestamp
              + " is not within 49 days after the base "
              + base
              + ": run the latency measurement on a fresh topic");
    }
    return (1L << 32) | since;
  }

  /** The sum of the counts and the older of the timestamps. */
  public static long merge(long a, long b) {
    return ((a >>> 32) + (b >>> 32)) << 32 | Math.min(a & LOW, b & LOW);
  }

  /** The record value an engine writes: {@code <count>,<oldest timestamp, epoch ms>}. */
  public static String format(long packed, long base) {
    return (packed >>> 32) + "," + ((packed & LOW) + base);
  }

  /** The oldest timestamp (epoch ms) of a value {@link #format} wrote. */
  public static long oldest(String value) {
    return Long.parseLong(value.substring(value.indexOf(',') + 1));
  }
}
