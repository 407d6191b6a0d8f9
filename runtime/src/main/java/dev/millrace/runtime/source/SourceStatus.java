package dev.millrace.runtime.source;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an input says about itself now, for the driver's status report: where it reads, whether it
 * is connected, whether (and since when) it is failing to deliver, its last error and its counts.
 *
 * @param description where the input reads from, e.g. {@code localhost:9999} or a directory URI
 * @param connected whether a connection is open now; {@code null} for inputs without one (files,
 *     queues)
 * @param outageSinceMs since when (epoch milliseconds) the input has been unable to deliver: not
 *     connected since it started or since its connection broke, or failing to log or receive what
 *     it reads; {@code null} while it delivers normally (a quiet input is not an outage)
 * @param lastError the newest error the input met, even if it has recovered since; {@code null} if
 *     none
 * @param lastErrorTimeMs when {@code lastError} happened, epoch milliseconds; {@code null} if none
 * @param recordsReceived records the input has received since it started; {@code null} where it
 *     does not count them itself (files are read by tasks)
 * @param bytesReceived bytes the input has read or taken since it started; {@code null} if unknown
 * @param linesDropped lines dropped because they were longer than the receiver's bound
 * @param receiverRestarts times the input's receiver thread failed and was started again
 * @param removableUpToMs the newest batch time up to which the input this source read may be
 *     removed from where it came from (a committed checkpoint covers it), or {@code null} when none
 *     is yet or the input is not the source's to tell
 * @param recordsPlanned records a replayable source has planned into batches since it started;
 *     {@code null} where it does not count them or is not planned (receivers count {@code
 *     recordsReceived})
 * @param figures the input's own figures in the order to show them (e.g. a Kafka source's lag),
 *     values formatted for people; empty if none
 * @param lag records that exist and are not planned yet, by partition of what the input reads (see
 *     {@link dev.millrace.streaming.SourceHealth#lag}); empty if it cannot tell
 */
public record SourceStatus(
    String description,
    Boolean connected,
    Long outageSinceMs,
    String lastError,
    Long lastErrorTimeMs,
    Long recordsReceived,
    Long bytesReceived,
    long linesDropped,
    int receiverRestarts,
    Long removableUpToMs,
    Long recordsPlanned,
    Map<String, String> figures,
    Map<String, Long> lag) {

  /** Copies {@code figures} and {@code lag}, keeping their order; {@code null} means none. */
  public SourceStatus {
    figures =
        figures == null || figures.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    lag =
        lag == null || lag.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(lag));
  }

  /** The status of an input that cannot tell its lag by partition. */
  public SourceStatus(
      String description,
      Boolean connected,
      Long outageSinceMs,
      String lastError,
      Long lastErrorTimeMs,
      Long recordsReceived,
      Long bytesReceived,
      long linesDropped,
      int receiverRestarts,
      Long removableUpToMs,
      Long recordsPlanned,
      Map<String, String> figures) {
    this(
        description,
        connected,
        outageSinceMs,
        lastError,
        lastErrorTimeMs,
        recordsReceived,
        bytesReceived,
        linesDropped,
        receiverRestarts,
        removableUpToMs,
        recordsPlanned,
        figures,
        Map.of());
  }

  /** The status of an input that counts what it receives itself and plans nothing. */
  public SourceStatus(
      String description,
      Boolean connected,
      Long outageSinceMs,
      String lastError,
      Long lastErrorTimeMs,
      Long recordsReceived,
      Long bytesReceived,
      long linesDropped,
      int receiverRestarts,
      Long removableUpToMs) {
    this(
        description,
        connected,
        outageSinceMs,
        lastError,
        lastErrorTimeMs,
        recordsReceived,
        bytesReceived,
        linesDropped,
        receiverRestarts,
        removableUpToMs,
        null,
        Map.of());
  }

  /** The status of an input that has nothing to say but where it reads. */
  public static SourceStatus described(String description) {
    return new SourceStatus(description, null, null, null, null, null, null, 0, 0, null);
  }
}
