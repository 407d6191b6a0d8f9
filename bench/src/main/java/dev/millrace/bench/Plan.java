package dev.millrace.bench;

/**
 * How one measurement feeds its batches, from the batch interval alone, so both engines receive the
 * same sequence: a small first batch, warm-up batches at the fixed rate, measured batches at the
 * fixed rate (latency percentiles, stability), then the rate search (throughput).
 *
 * <p>The rate search doubles the rate from {@link #SEARCH_START} while a step is sustained, then
 * bisects (geometrically) {@link #BISECTIONS} times between the last sustained and the first
 * unsustained rate, so the reported maximum is within a factor of 2^(1/2^BISECTIONS) (9 % for 3) of
 * the rate where the engine stops keeping up. If even the first step fails, it halves downwards up
 * to {@link #HALVINGS} times before bisecting. Between steps the feeder offers small filler batches
 * at {@link #FILLER_RATE} until the next step is decided; they are not measured.
 *
 * @param intervalMs the batch interval
 * @param warmup warm-up batches at the fixed rate
 * @param fixed measured batches at the fixed rate
 * @param perStep batches per search step
 * @param queuedAhead batches the feeder keeps queued so the queue never runs dry
 */
public record Plan(long intervalMs, int warmup, int fixed, int perStep, int queuedAhead) {

  /** The fixed rate at which latency and stability are compared, in words per second. */
  public static final long FIXED_RATE = 100_000;

  /** The search's first rate in words per second. */
  public static final long SEARCH_START = 100_000;

  /** Doubling steps at most (100 k to 102 M words/s). */
  public static final int MAX_DOUBLINGS = 11;

  /** Halvings below {@link #SEARCH_START} at most, when the first step is not sustained. */
  public static final int HALVINGS = 3;

  /** Geometric bisections between the last sustained and the first unsustained rate. */
  public static final int BISECTIONS = 3;

  /** The rate of the unmeasured batches between search steps, in words per second. */
  public static final long FILLER_RATE = 10_000;

  /** Words in the first batch (start → first batch). */
  public static final long FIRST_WORDS = 1000;

  /** The plan for batches of {@code intervalMs}. */
  public static Plan forInterval(long intervalMs) {
    if (intervalMs >= 1000) {
      // Enough batches for a median without making a 1 s run take minutes on a shared box.
      return new Plan(intervalMs, 4, 8, 2, 2);
    }
    // At least 1 s of warm-up and 2 s of measured batches (-Dbench.fixed.batches=N measures N), so
    // that a growing scheduling delay
    // shows at short intervals; at least 15 and 30 batches at the longer ones.
    int warmup = (int) Math.max(15, 1000 / intervalMs);
    int fixed = Integer.getInteger("bench.fixed.batches", (int) Math.max(30, 2000 / intervalMs));
    int perStep = 5;
    // The feeder polls every 5 ms; keep at least 200 ms of batches queued (2 at the least).
    int ahead = (int) Math.max(2, (200 + intervalMs - 1) / intervalMs);
    return new Plan(intervalMs, warmup, fixed, perStep, ahead);
  }

  /** Words in one batch at {@code rate} words per second. */
  public long words(long rate) {
    return Math.max(1, rate * intervalMs / 1000);
  }
}
