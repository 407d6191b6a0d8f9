package dev.millrace.kafka;

/**
 * Kafka did not answer for longer than allowed: planning a batch could not reach the brokers, or a
 * partition had no leader, for the whole of {@code planningTimeout}; or reading a range made no
 * progress for {@code default.api.timeout.ms}. The message names the bootstrap servers, what was
 * asked and Kafka's last error; nothing was skipped, and the batch can run again once Kafka
 * answers.
 */
public class KafkaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
