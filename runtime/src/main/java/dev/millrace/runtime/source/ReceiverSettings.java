package dev.millrace.runtime.source;

import dev.millrace.runtime.config.StreamingOptions;
import java.util.Map;

/**
 * How a receiver reads and how it survives its own failures, from the {@code millrace.receiver.*}
 * settings.
 *
 * @param maxRate most lines per second it reads; {@link Double#POSITIVE_INFINITY} for no limit
 * @param maxLineBytes the longest line it keeps; longer ones are skipped and counted
 * @param maxRestarts how often a failed receiver thread starts again within {@code restartWindow}
 *     before the input fails the driver
 * @param restartWindowMillis the sliding window {@code maxRestarts} counts in
 */
public record ReceiverSettings(
    double maxRate, int maxLineBytes, int maxRestarts, long restartWindowMillis) {

  /** Checks the values, naming the setting of a bad one. */
  public ReceiverSettings {
    if (!(maxRate > 0)) {
      throw new IllegalArgumentException(
          "a receiver's maximum rate is "
              + maxRate
              + " lines per second; use a positive rate, or leave millrace.receiver.max-rate unset"
              + " for no limit");
    }
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException(
          "millrace.receiver.max-line-bytes is " + maxLineBytes + "; use at least 1");
    }
    if (maxRestarts < 0 || restartWindowMillis <= 0) {
      throw new IllegalArgumentException(
          "a receiver restarts at least 0 times (millrace.receiver.max-restarts, got "
              + maxRestarts
              + ") within a positive window (millrace.receiver.restart-window, got "
              + restartWindowMillis
              + " ms)");
    }
  }

  /** The settings' defaults. */
  public static ReceiverSettings defaults() {
    return of(Map.of());
  }

  /** The settings in {@code conf}, defaults where it sets none. */
  public static ReceiverSettings of(Map<String, String> conf) {
    return new ReceiverSettings(
        StreamingOptions.RECEIVER_MAX_RATE.read(conf),
        StreamingOptions.RECEIVER_MAX_LINE_BYTES.read(conf),
        StreamingOptions.RECEIVER_MAX_RESTARTS.read(conf),
        StreamingOptions.RECEIVER_RESTART_WINDOW.read(conf).milliseconds());
  }

  /** These settings with {@code maxLineBytes} instead. */
  public ReceiverSettings withMaxLineBytes(int maxLineBytes) {
    return new ReceiverSettings(maxRate, maxLineBytes, maxRestarts, restartWindowMillis);
  }

  /** These settings with {@code maxRate} instead. */
  public ReceiverSettings withMaxRate(double maxRate) {
    return new ReceiverSettings(maxRate, maxLineBytes, maxRestarts, restartWindowMillis);
  }
}
