package dev.millrace.runtime.transport;

import dev.millrace.runtime.config.ConfigOption;
import java.time.Duration;
import java.util.List;

/**
 * The limits of every connection a {@link Transport} makes or accepts.
 *
 * @param maxFrameBytes the largest frame accepted; a larger one closes the connection
 * @param connectTimeout how long a connection attempt may take
 * @param idleTimeout a connection that receives nothing for this long is closed, so a peer whose
 *     host vanished is noticed even when TCP is not; larger than any heartbeat timeout, so that
 *     membership rather than the transport decides when an executor is lost
 * @param writeBufferLowBytes a connection whose outbound buffer drained below this is writable
 *     again
 * @param writeBufferHighBytes a connection whose outbound buffer holds more than this reports
 *     itself unwritable, which a sender takes as backpressure
 */
public record TransportOptions(
    int maxFrameBytes,
    Duration connectTimeout,
    Duration idleTimeout,
    int writeBufferLowBytes,
    int writeBufferHighBytes) {

  /** The largest frame a connection accepts. */
  public static final ConfigOption<Integer> MAX_FRAME_BYTES =
      fixed(
          "millrace.transport.max-frame-bytes",
          64 << 20,
          "64Mi",
          "The largest frame between driver and executors; a larger one closes the connection.");

  /** How long a connection attempt may take. */
  public static final ConfigOption<Duration> CONNECT_TIMEOUT =
      fixed(
          "millrace.transport.connect-timeout",
          Duration.ofSeconds(5),
          "5s",
          "How long a connection attempt between driver and executors may take.");

  /** After how long without a frame a connection is closed. */
  public static final ConfigOption<Duration> IDLE_TIMEOUT =
      fixed(
          "millrace.transport.idle-timeout",
          Duration.ofSeconds(60),
          "60s",
          "A connection that receives nothing for this long is closed, so a peer whose host"
              + " vanished is noticed; longer than any heartbeat timeout.");

  /** Below how many buffered bytes a connection is writable again. */
  public static final ConfigOption<Integer> WRITE_BUFFER_LOW_BYTES =
      fixed(
          "millrace.transport.write-buffer-low",
          256 << 10,
          "256Ki",
          "A connection whose outbound buffer drained below this is writable again.");

  /** Above how many buffered bytes a connection reports backpressure. */
  public static final ConfigOption<Integer> WRITE_BUFFER_HIGH_BYTES =
      fixed(
          "millrace.transport.write-buffer-high",
          1 << 20,
          "1Mi",
          "A connection whose outbound buffer holds more than this reports itself unwritable,"
              + " which a sender takes as backpressure.");

  /**
   * The limits of every connection, fixed in this build: listed in the configuration reference for
   * what they are, though no {@code millrace.*} entry sets them.
   */
  public static List<ConfigOption<?>> limits() {
    return List.of(
        MAX_FRAME_BYTES,
        CONNECT_TIMEOUT,
        IDLE_TIMEOUT,
        WRITE_BUFFER_LOW_BYTES,
        WRITE_BUFFER_HIGH_BYTES);
  }

  /** The {@link #limits()} at their defaults. */
  public static TransportOptions defaults() {
    return new TransportOptions(
        MAX_FRAME_BYTES.defaultValue(),
        CONNECT_TIMEOUT.defaultValue(),
        IDLE_TIMEOUT.defaultValue(),
        WRITE_BUFFER_LOW_BYTES.defaultValue(),
        WRITE_BUFFER_HIGH_BYTES.defaultValue());
  }

  /** A limit no configuration entry sets: reading it always gives its default. */
  private static <T> ConfigOption<T> fixed(
      String key, T defaultValue, String defaultText, String description) {
    return new ConfigOption<>(
        key,
        defaultValue,
        defaultText,
        description,
        text -> {
          throw new IllegalArgumentException("is fixed in this build");
        });
  }

  /** Checks the limits are usable. */
  public TransportOptions {
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be at least 1024, got " + maxFrameBytes);
    }
    if (writeBufferLowBytes <= 0 || writeBufferHighBytes < writeBufferLowBytes) {
      throw new IllegalArgumentException(
          "write buffer water marks must satisfy 0 < low <= high, got low "
              + writeBufferLowBytes
              + " and high "
              + writeBufferHighBytes);
    }
  }
}
