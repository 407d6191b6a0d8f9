package dev.millrace.kafka;

import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Source;
import dev.millrace.streaming.SourceHealth;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka as a {@link Source}: each batch's plan is one offset range per partition, computed on the
 * driver with the admin client (under {@code read_committed}, up to the last stable offset) within
 * the batch's budget, and cut into tasks of at most {@code maxRecordsPerTask} offsets; any process
 * reads a task's range with a pooled consumer, {@code assign} and {@code seek}.
 *
 * <p>The plan holds a range for every partition, empty ones too, so the plans alone give every
 * partition's position: a recovery continues from the ranges logged in the batch log, never from
 * consumer group offsets.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class KafkaSource<K, V> implements Source<KafkaRecord<K, V>, OffsetRange> {
  /** One pool per process: consumers are expensive and each task reads one range at a time. */
  private static final KafkaConsumerPool CONSUMERS = new KafkaConsumerPool(4);

  private final KafkaOptions options;
  private final Duration batchInterval;
  private final OffsetRangeReader reader;
  private final KafkaSourceHealth health;
  // Driver only: the planner, and each planned batch's positions until the batch completes.
  private OffsetRangePlanner planner;
  private ProcessedOffsetsCommitter committer;
  private Map<TopicPartition, Long> untils; // null before the first plan
  private final Map<Long, Map<TopicPartition, Long>> planned = new ConcurrentSkipListMap<>();

  KafkaSource(KafkaOptions options, Duration batchInterval) {
    this.options = options;
    this.batchInterval = batchInterval;
    this.reader = new OffsetRangeReader(options, CONSUMERS);
    this.health = new KafkaSourceHealth(options, Clock.systemUTC());
  }

  @Override
  public String name() {
    return "kafka:" + options.subscription();
  }

  /**
   * The brokers and subscription; an outage while planning retries, with the last error; the lag
   * the latest plan left ({@code lag}, and the {@code largestLags} partitions; every partition's in
   * {@link SourceHealth#lag()}, for the metrics); the offsets skipped under {@code
   * failOnDataLoss=false} ({@code skippedOffsets}, {@code lastSkipped}).
   */
  @Override
  public SourceHealth health() {
    return health.health();
  }

  @Override
  public void start() {
    planner = new OffsetRangePlanner(options, health);
    committer = new ProcessedOffsetsCommitter(options);
    untils = null;
  }

  @Override
  public void recover(byte[] position, List<List<OffsetRange>> plansSince) {
    planner = new OffsetRangePlanner(options, health);
    committer = new ProcessedOffsetsCommitter(options);
    untils = decodePosition(position);
    for (List<OffsetRange> plan : plansSince) {
      Map<TopicPartition, Long> after = new HashMap<>(untils == null ? Map.of() : untils);
      for (OffsetRange range : plan) {
        after.merge(range.topicPartition(), range.until(), Math::max);
      }
      untils = after;
    }
  }

  @Override
  public List<OffsetRange> plan(long batchTime, long maxRecords) {
    OffsetRangePlan plan =
        untils == null
            ? planner.planFirst(budgetPerPartition(maxRecords, 1))
            : planner.planNext(untils, budgetPerPartition(maxRecords, untils.size()));
    untils = plan.untils();
    planned.put(batchTime, untils);
    List<OffsetRange> parts = new ArrayList<>();
    for (OffsetRange range : plan.ranges()) {
      // An empty range stays in the plan: it carries its partition's position.
      parts.addAll(range.split(options.maxRecordsPerTask()));
    }
    return parts;
  }

  /** The batch budget spread evenly over {@code partitions}, within {@code maxRatePerPartition}. */
  private long budgetPerPartition(long maxRecords, int partitions) {
    double rate =
        maxRecords == Long.MAX_VALUE
            ? Double.POSITIVE_INFINITY
            : maxRecords * 1000.0 / batchInterval.milliseconds() / Math.max(1, partitions);
    return planner.budgetPerPartition(batchInterval, rate);
  }

  @Override
  public Iterator<KafkaRecord<K, V>> read(OffsetRange part) {
    if (part.size() == 0) {
      return Collections.emptyIterator();
    }
    return reader.read(part);
  }

  /**
   * Under {@code failOnDataLoss=true}, fails naming the offsets of {@code plan} that retention has
   * deleted since the plan was logged: the recovery then stops (exit code 66) with what to do,
   * before it runs anything, instead of failing in the replay at every restart. Under {@code false}
   * the replay skips them and counts them, as a new batch does.
   *
   * @throws KafkaDataLossException naming the topic, partition and offsets that are gone
   * @throws KafkaUnavailableException if the brokers did not answer within {@code planningTimeout}
   */
  @Override
  public void checkReplayable(long batchTime, List<OffsetRange> plan) {
    if (!options.failOnDataLoss()) {
      return;
    }
    Map<TopicPartition, Long> firstRead = new HashMap<>();
    for (OffsetRange range : plan) {
      if (range.size() > 0) {
        firstRead.merge(range.topicPartition(), range.from(), Math::min);
      }
    }
    if (firstRead.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> earliest = planner.earliestOffsets(firstRead.keySet());
    for (Map.Entry<TopicPartition, Long> read : firstRead.entrySet()) {
      long kept = earliest.get(read.getKey());
      if (kept > read.getValue()) {
        throw KafkaDataLossException.deleted(read.getKey(), read.getValue(), kept);
      }
    }
  }

  @Override
  public byte[] position() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (untils == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(untils.size());
        for (Map.Entry<TopicPartition, Long> e : untils.entrySet()) {
          new OffsetRange(e.getKey().topic(), e.getKey().partition(), e.getValue(), e.getValue())
              .writeTo(out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Map<TopicPartition, Long> decodePosition(byte[] position) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(position))) {
      int count = in.readInt();
      if (count < 0) {
        return null;
      }
      Map<TopicPartition, Long> untils = new HashMap<>();
      for (int i = 0; i < count; i++) {
        OffsetRange at = OffsetRange.readFrom(in);
        untils.put(at.topicPartition(), at.until());
      }
      return untils;
    } catch (IOException e) {
      throw new UncheckedIOException("a Kafka source position is cut short", e);
    }
  }

  /** A range as its topic-partition and offsets, e.g. {@code events-3 [100, 200)}. */
  @Override
  public String describe(OffsetRange part) {
    return part.topic() + "-" + part.partition() + " [" + part.from() + ", " + part.until() + ")";
  }

  @Override
  public byte[] encode(OffsetRange part) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      part.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public OffsetRange decode(byte[] part) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(part))) {
      return OffsetRange.readFrom(in);
    } catch (IOException e) {
      throw new UncheckedIOException("a Kafka offset range in a plan is cut short", e);
    }
  }

  /**
   * Batch {@code batchTime} completed: commits the positions after it to {@code commitGroupId}, for
   * lag monitoring only (a recovery never reads them). Also the last batch of a graceful stop.
   */
  void completed(long batchTime) {
    Map<TopicPartition, Long> after = planned.remove(batchTime);
    if (after != null && committer != null) {
      committer.commit(after);
    }
  }

  /**
   * Stops planning. The committer stays open: a graceful stop stops the sources before the batches
   * still queued or running complete, and each of them commits its offsets when it does.
   */
  @Override
  public void stop() {
    if (planner != null) {
      planner.close();
    }
  }

  /** The context has stopped and no batch completes any more: closes the committer. */
  void streamingStopped() {
    if (committer != null) {
      committer.close();
    }
  }
}
