package dev.millrace.kafka;

import java.util.List;
import org.apache.kafka.common.record.TimestampType;

/**
 * One record read from Kafka, with where it was read and its metadata.
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset in the partition
 * @param timestamp its timestamp in epoch milliseconds
 * @param timestampType whether the producer or the broker set the timestamp
 * @param key the deserialized key; null when the record has none
 * @param value the deserialized value; null for a tombstone
 * @param headers its headers in order (a key may repeat)
 * @param <K> key type
 * @param <V> value type
 */
public record KafkaRecord<K, V>(
    String topic,
    int partition,
    long offset,
    long timestamp,
    TimestampType timestampType,
    K key,
    V value,
    List<Header> headers) {

  public KafkaRecord {
    // Free for the reader's lists, which are immutable already.
    headers = List.copyOf(headers);
  }

  /**
   * A record header.
   *
   * @param key the header's name
   * @param value its bytes; null when it has none
   */
  public record Header(String key, byte[] value) {}
}
