package dev.millrace.kafka;

/**
 * One record to write to Kafka: what the function given to {@link KafkaOutput#saveToKafka} makes of
 * each element of a stream.
 *
 * @param topic the topic to write to; null for the output's {@code topic} option
 * @param key the key, serialized with {@code key.serializer}; null for none (the partitioner then
 *     spreads records over the partitions)
 * @param value the value, serialized with {@code value.serializer}; null for a tombstone
 * @param <K> key type
 * @param <V> value type
 */
public record KafkaOutputRecord<K, V>(String topic, K key, V value) {

  /** A record for the output's {@code topic} option. */
  public static <K, V> KafkaOutputRecord<K, V> of(K key, V value) {
    return new KafkaOutputRecord<>(null, key, value);
  }

  /** A record for {@code topic}. */
  public static <K, V> KafkaOutputRecord<K, V> to(String topic, K key, V value) {
    return new KafkaOutputRecord<>(topic, key, value);
  }
}
