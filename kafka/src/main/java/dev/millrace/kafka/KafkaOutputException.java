package dev.millrace.kafka;

/**
 * Writing a batch to Kafka failed: a topic does not exist, a record names no topic, a send or the
 * commit failed, or another instance of the same output fenced this one. The message names the
 * output, the batch, the topic and Kafka's error, and says what to do. Under exactly-once the
 * batch's transaction was aborted (or will be when the output starts again), so {@code
 * read_committed} consumers see nothing of it; the batch is written when it runs again.
 */
public class KafkaOutputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  KafkaOutputException(String message, Throwable cause) {
    super(message, cause);
  }

  KafkaOutputException(String message) {
    super(message);
  }
}
