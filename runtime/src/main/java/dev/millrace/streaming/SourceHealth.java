package dev.millrace.streaming;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Source} says about itself now, for the driver's status endpoint, {@code millrace
 * status} and the application's status: where it reads, whether (and since when) it cannot plan or
 * read, its last error, how much it has planned, and a few figures of its own (a message log's lag,
 * records it had to skip). A source returns one from {@link Source#health()}.
 *
 * <pre>{@code
 * return new SourceHealth(
 *     "broker1:9092 topic orders", outageSince, lastError, lastErrorTime, plannedSoFar,
 *     Map.of("lag", String.valueOf(lag)));
 * }</pre>
 *
 * @param description where the source reads, for people, e.g. {@code broker1:9092 topic orders};
 *     {@code null} for the source's {@link Source#name()}
 * @param outageSince since when the source has been unable to plan or read (its system is down or
 *     refuses it), set when that started and cleared ({@code null}) once it works again; a source
 *     with nothing new to read is quiet, not in an outage. An outage that lasts longer than the
 *     application's {@code healthCheck.maxInputOutage} makes the application not Ready.
 * @param lastError the newest error the source met, even if it has recovered since, as a sentence a
 *     person can act on; {@code null} if none
 * @param lastErrorTime when {@code lastError} happened; {@code null} if none
 * @param recordsPlanned records the source has planned into batches since it started (or
 *     recovered); {@code null} if it does not count them
 * @param figures the source's own figures, in the order to show them, e.g. {@code lag -> 1200}:
 *     short camelCase names with values already formatted for people; a handful, not one per record
 *     or key (the status is read often and shown on one line)
 * @param lag how many records exist that the source has not planned yet, by partition of what it
 *     reads (e.g. {@code orders-3} for a topic's partition 3), as of its latest plan: the driver's
 *     metrics show each as {@code millrace_input_lag_records}; empty if the source cannot tell
 */
public record SourceHealth(
    String description,
    Instant outageSince,
    String lastError,
    Instant lastErrorTime,
    Long recordsPlanned,
    Map<String, String> figures,
    Map<String, Long> lag) {

  /** Copies {@code figures} and {@code lag}, keeping their order; {@code null} means none. */
  public SourceHealth {
    figures =
        figures == null || figures.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    lag =
        lag == null || lag.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(lag));
  }

  /** The health of a source that cannot tell its lag by partition. */
  public SourceHealth(
      String description,
      Instant outageSince,
      String lastError,
      Instant lastErrorTime,
      Long recordsPlanned,
      Map<String, String> figures) {
    this(description, outageSince, lastError, lastErrorTime, recordsPlanned, figures, Map.of());
  }

  /** A source that has nothing to say but where it reads. */
  public static SourceHealth described(String description) {
    return new SourceHealth(description, null, null, null, null, Map.of());
  }
}
