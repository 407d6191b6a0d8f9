package dev.millrace.runtime.transport;

import java.time.Duration;

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

  /**
   * 64 MiB frames, 5 s to connect, 60 s idle, writable again below 256 KiB, unwritable at 1 MiB.
   */
  public static TransportOptions defaults() {
    return new TransportOptions(
        64 << 20, Duration.ofSeconds(5), Duration.ofSeconds(60), 256 << 10, 1 << 20);
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
