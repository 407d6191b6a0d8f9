package dev.millrace.kafka;

/**
 * Planning a batch could not reach the brokers, or a partition had no leader, for the whole of
 * {@code planningTimeout}. The message names the bootstrap servers, what was asked and Kafka's last
 * error; nothing was skipped, and the batch can be planned again once Kafka answers.
 */
public class KafkaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
