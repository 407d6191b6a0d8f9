package dev.millrace.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The batches one measurement feeds, in order: warm-up batches, batches at a fixed rate (latency
 * percentiles), then a ladder of doubling rates (throughput). Built from the batch interval alone,
 * so both engines receive the same sequence.
 *
 * @param intervalMs the batch interval
 * @param batches the batches in order
 */
public record Plan(long intervalMs, List<Entry> batches) {

  /** The fixed rate at which latency is compared, in words per second. */
  public static final long FIXED_RATE = 100_000;

  /** The ladder's first rate in words per second; each step doubles it. */
  public static final long LADDER_START = 50_000;

  /** Ladder steps at most (50 k to 102 M words/s). */
  public static final int LADDER_STEPS = 12;

  /** Which part of the measurement a batch belongs to. */
  public enum Phase {
    FIRST,
    WARMUP,
    FIXED,
    LADDER
  }

  /**
   * One batch.
   *
   * @param phase its part of the measurement
   * @param step the ladder step (0 outside the ladder)
   * @param rate the rate it stands for, in words per second
   * @param words the words it holds
   */
  public record Entry(Phase phase, int step, long rate, long words) {}

  /** The plan for batches of {@code intervalMs}. */
  public static Plan forInterval(long intervalMs) {
    // Enough batches for a stable median without making a 1 s run take minutes on a shared box.
    boolean slow = intervalMs >= 1000;
    int warmup = slow ? 4 : 15;
    int fixed = slow ? 8 : 30;
    int perStep = slow ? 2 : 5;
    List<Entry> batches = new ArrayList<>();
    batches.add(new Entry(Phase.FIRST, 0, 0, 1000));
    for (int i = 0; i < warmup; i++) {
      batches.add(entry(Phase.WARMUP, 0, FIXED_RATE, intervalMs));
    }
    for (int i = 0; i < fixed; i++) {
      batches.add(entry(Phase.FIXED, 0, FIXED_RATE, intervalMs));
    }
    long rate = LADDER_START;
    for (int step = 0; step < LADDER_STEPS; step++, rate *= 2) {
      for (int i = 0; i < perStep; i++) {
        batches.add(entry(Phase.LADDER, step, rate, intervalMs));
      }
    }
    return new Plan(intervalMs, List.copyOf(batches));
  }

  private static Entry entry(Phase phase, int step, long rate, long intervalMs) {
    return new Entry(phase, step, rate, rate * intervalMs / 1000);
  }
}
