package dev.millrace.kafka;

import dev.millrace.runtime.source.InputMissingException;
import java.nio.file.NoSuchFileException;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets a batch must read are gone from the broker (retention or {@code deleteRecords} removed
 * them before they were read, or the topic was recreated), and {@code failOnDataLoss=true}: the
 * batch fails rather than skip them silently. The message names the partition, the lost offsets and
 * the setting.
 *
 * <p>Every restart would meet the same gap, so it is input missing: the driver stops with exit code
 * 66 and supervisors do not restart it until the topic or the setting is changed.
 */
public class KafkaDataLossException extends InputMissingException {
  private static final long serialVersionUID = 1L;

  private final transient TopicPartition partition;
  private final long lostFrom;
  private final long lostUntil;

  KafkaDataLossException(TopicPartition partition, long lostFrom, long lostUntil, String message) {
    super(
        message,
        new NoSuchFileException(
            partition.topic() + "-" + partition.partition(),
            null,
            "offsets " + lostFrom + " to " + (lostUntil - 1) + " are gone"));
    this.partition = partition;
    this.lostFrom = lostFrom;
    this.lostUntil = lostUntil;
  }

  /** Offsets {@code [from, earliest)} of {@code partition} were deleted before they were read. */
  static KafkaDataLossException deleted(TopicPartition partition, long from, long earliest) {
    return new KafkaDataLossException(
        partition,
        from,
        earliest,
        "offsets "
            + from
            + " to "
            + (earliest - 1)
            + " of topic "
            + partition.topic()
            + " partition "
            + partition.partition()
            + " were deleted before they were read ("
            + (earliest - from)
            + " offsets; the earliest the broker holds is "
            + earliest
            + "), and failOnDataLoss=true. Raise the topic's retention.ms or retention.bytes so"
            + " records outlive an outage, or set failOnDataLoss=false to skip them with a"
            + " warning.");
  }

  /** The partition's end is below the position to read from: the offsets were not kept. */
  static KafkaDataLossException behindPosition(TopicPartition partition, long from, long end) {
    return new KafkaDataLossException(
        partition,
        end,
        from,
        "topic "
            + partition.topic()
            + " partition "
            + partition.partition()
            + " ends at offset "
            + end
            + ", below the position "
            + from
            + " this application reads from: the topic was deleted and recreated, or the"
            + " starting offset is past its end; offsets "
            + end
            + " to "
            + (from - 1)
            + " are not there, and failOnDataLoss=true. Check the topic, or set"
            + " failOnDataLoss=false to read the partition from its earliest offset.");
  }

  /** The partition whose offsets are lost. */
  public TopicPartition partition() {
    return partition;
  }

  /** The first lost offset. */
  public long lostFrom() {
    return lostFrom;
  }

  /** The offset after the last lost one. */
  public long lostUntil() {
    return lostUntil;
  }
}
