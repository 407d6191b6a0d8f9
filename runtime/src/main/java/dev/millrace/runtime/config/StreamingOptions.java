package dev.millrace.runtime.config;

import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import java.util.List;

/** The engine's settings, passed as {@code conf} entries of a context or an application spec. */
public final class StreamingOptions {
  private StreamingOptions() {}

  /** Partitions of shuffles (reduceByKey, join, state) when the operation names none. */
  public static final ConfigOption<Integer> DEFAULT_PARALLELISM =
      new ConfigOption<>(
          "millrace.default.parallelism",
          null,
          "Partitions of keyed operations that do not name a count; defaults to the N of local[N].",
          StreamingOptions::positiveInt);

  /** How long a graceful stop may take before processing is interrupted. */
  public static final ConfigOption<Duration> GRACEFUL_STOP_TIMEOUT =
      new ConfigOption<>(
          "millrace.stop.graceful-timeout",
          Durations.seconds(30),
          "How long stop(true) or SIGTERM waits for queued batches before interrupting them.",
          Durations::parse);

  /** Every option, for the configuration reference. */
  public static List<ConfigOption<?>> all() {
    return List.of(DEFAULT_PARALLELISM, GRACEFUL_STOP_TIMEOUT);
  }

  private static Integer positiveInt(String text) {
    int n = Integer.parseInt(text);
    if (n < 1) {
      throw new IllegalArgumentException("must be at least 1");
    }
    return n;
  }
}
