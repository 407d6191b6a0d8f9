package dev.millrace.kafka;

import dev.millrace.streaming.SourceHealth;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * The live record of how a Kafka source's planning goes, for the status endpoint: whether the
 * brokers answer (an outage starts at the first failed attempt and ends at the next plan that
 * succeeds), the last error, how far the latest plan stays behind the partitions' ends (the lag),
 * and the offsets skipped under {@code failOnDataLoss=false}. The driver's planning thread writes
 * it once per attempt or plan, never per record; the status endpoint reads {@link #health} from
 * another thread. Every method holds the object's lock and is short.
 */
final class KafkaSourceHealth {
  /** How many of the partitions furthest behind the status names. */
  static final int LARGEST_LAGS = 3;

  private final String description;
  private final Clock clock;

  private Instant outageSince;
  private String lastError;
  private Instant lastErrorTime;
  private long recordsPlanned;
  private Long lag; // null before the first plan
  private List<Map.Entry<TopicPartition, Long>> largestLags = List.of();
  private Map<String, Long> lagByPartition = Map.of();
  private long skippedOffsets;
  private OffsetRange lastSkipped;

  /** The health of a source reading {@code options}' subscription from its brokers. */
  KafkaSourceHealth(KafkaOptions options, Clock clock) {
    this.description = String.join(",", options.bootstrapServers()) + " " + options.subscription();
    this.clock = clock;
  }

  /**
   * An attempt to plan failed with {@code error}; returns the start of the outage if it starts now
   * (the caller says so once), {@code null} if one was already under way.
   */
  synchronized Instant attemptFailed(String error) {
    Instant now = clock.instant();
    lastError = error;
    lastErrorTime = now;
    if (outageSince != null) {
      return null;
    }
    outageSince = now;
    return now;
  }

  /** Planning failed for good with {@code error} (it gave up, or lost offsets fail the batch). */
  synchronized void planFailed(String error) {
    lastError = error;
    lastErrorTime = clock.instant();
  }

  /**
   * A plan succeeded: {@code plan}, with the partitions ending at {@code ends} when it was made and
   * {@code skipped} the offsets it skipped because retention had deleted them. Returns the start of
   * the outage this ends, {@code null} if there was none.
   */
  synchronized Instant planned(
      OffsetRangePlan plan, Map<TopicPartition, Long> ends, List<OffsetRange> skipped) {
    Instant ended = outageSince;
    outageSince = null;
    recordsPlanned += plan.size();
    long total = 0;
    List<Map.Entry<TopicPartition, Long>> behind = new ArrayList<>();
    Map<String, Long> byPartition = new TreeMap<>();
    for (OffsetRange range : plan.ranges()) {
      long partitionLag = Math.max(0, ends.get(range.topicPartition()) - range.until());
      total += partitionLag;
      byPartition.put(range.topicPartition().toString(), partitionLag);
      if (partitionLag > 0) {
        behind.add(Map.entry(range.topicPartition(), partitionLag));
      }
    }
    lag = total;
    lagByPartition = byPartition;
    largestLags =
        behind.stream()
            .sorted(
                Map.Entry.<TopicPartition, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(e -> e.getKey().toString()))
            .limit(LARGEST_LAGS)
            .toList();
    for (OffsetRange range : skipped) {
      skippedOffsets += range.size();
      lastSkipped = range;
    }
    return ended;
  }

  /** How the source is doing now; safe from any thread. */
  synchronized SourceHealth health() {
    Map<String, String> figures = new LinkedHashMap<>();
    if (lag != null) {
      figures.put("lag", Long.toString(lag));
    }
    if (!largestLags.isEmpty()) {
      figures.put(
          "largestLags",
          largestLags.stream()
              .map(e -> e.getKey() + " " + e.getValue())
              .collect(Collectors.joining(", ")));
    }
    if (lastSkipped != null) {
      figures.put("skippedOffsets", Long.toString(skippedOffsets));
      figures.put(
          "lastSkipped",
          lastSkipped.topic()
              + "-"
              + lastSkipped.partition()
              + " ["
              + lastSkipped.from()
              + ", "
              + lastSkipped.until()
              + ")");
    }
    return new SourceHealth(
        description,
        outageSince,
        lastError,
        lastErrorTime,
        recordsPlanned,
        figures,
        lagByPartition);
  }
}
