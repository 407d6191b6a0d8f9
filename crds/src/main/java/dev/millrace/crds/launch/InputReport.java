package dev.millrace.crds.launch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input stream of a driver, as its status endpoint lists it.
 *
 * @param name the stream's name in the graph, e.g. {@code socketTextStream#0}
 * @param source where it reads, e.g. {@code localhost:9999} or a directory
 * @param connected whether its connection is open; {@code null} for inputs without one (files)
 * @param outageSinceMs since when (epoch milliseconds) it has been unable to deliver (not
 *     connected, failing); {@code null} while it delivers normally
 * @param healthy false once its outage has lasted longer than the spec's {@code
 *     healthCheck.maxInputOutage}: the application is then not Ready
 * @param lastError the newest error it met, even if it recovered since; {@code null} if none
 * @param lastErrorTimeMs when that error happened, epoch milliseconds
 * @param recordsReceived records received since the driver started, {@code null} where the input
 *     does not count them itself (files are read by tasks)
 * @param bytesReceived bytes read (sockets) or taken (files) since the driver started, {@code null}
 *     if unknown
 * @param linesDropped lines dropped for being longer than {@code millrace.receiver.max-line-bytes}
 * @param receiverRestarts times its receiver thread failed and started again
 * @param removableUpToMs the newest batch time, epoch milliseconds, up to which the input it read
 *     may be removed from its source (a committed checkpoint covers it: {@code textFileStream}'s
 *     cleanSource removes it then), {@code null} when none is yet or the input is not its to tell
 * @param recordsPlanned records a replayable source (Kafka, a user's {@code Source}) has planned
 *     into batches since the driver started; {@code null} where it does not count them
 * @param figures the source's own figures in the order it gives them, e.g. a Kafka source's {@code
 *     lag}; values formatted for people; empty if none
 * @param lag records that exist and are not planned yet, by partition of what the input reads (a
 *     Kafka input's {@code topic-partition}), as of its latest plan; empty if it cannot tell, and
 *     from drivers that do not report it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InputReport(
    String name,
    String source,
    Boolean connected,
    Long outageSinceMs,
    boolean healthy,
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

  /**
   * Copies {@code figures} and {@code lag}, keeping their order; {@code null} (a report without
   * them) is none.
   */
  public InputReport {
    figures =
        figures == null || figures.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    lag =
        lag == null || lag.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(lag));
  }

  /** The report of an input that cannot tell its lag by partition. */
  public InputReport(
      String name,
      String source,
      Boolean connected,
      Long outageSinceMs,
      boolean healthy,
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
        name,
        source,
        connected,
        outageSinceMs,
        healthy,
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

  /** The report of an input that plans nothing and has no figures of its own. */
  public InputReport(
      String name,
      String source,
      Boolean connected,
      Long outageSinceMs,
      boolean healthy,
      String lastError,
      Long lastErrorTimeMs,
      Long recordsReceived,
      Long bytesReceived,
      long linesDropped,
      int receiverRestarts,
      Long removableUpToMs) {
    this(
        name,
        source,
        connected,
        outageSinceMs,
        healthy,
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

  /** For messages: {@code socketTextStream#0 (localhost:9999)}. */
  public String describe() {
    return source == null || source.isBlank() ? name : name + " (" + source + ")";
  }
}
