package dev.millrace.kafka;

/**
 * A record of a planned range that the configured deserializer cannot turn into a key or value: the
 * batch fails, naming the record's topic, partition and offset, the deserializer, Kafka's error,
 * and what to do. Nothing is skipped. A restart reads the same range again, so it fails again
 * unless the deserializer's failure passes (a schema registry that was down); the restart policy
 * bounds the attempts.
 */
public class KafkaRecordUnreadableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  KafkaRecordUnreadableException(String message, Throwable cause) {
    super(message, cause);
  }
}
