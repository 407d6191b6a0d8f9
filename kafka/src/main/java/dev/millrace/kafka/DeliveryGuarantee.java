package dev.millrace.kafka;

/**
 * What a Kafka output promises its readers, the value of {@link
 * KafkaSinkOptions#DELIVERY_GUARANTEE}. Exactly once holds only for consumers that read with {@code
 * isolation.level=read_committed}; a {@code read_uncommitted} consumer also sees the records of
 * aborted transactions, so for such readers at-least-once costs less and promises the same.
 */
public enum DeliveryGuarantee {
  /**
   * Each batch in one transaction of a producer with a stable {@code transactional.id}, with a
   * marker of the batch committed in the same transaction: a batch that runs again after a crash
   * writes nothing twice, and an older instance of the output is fenced.
   */
  EXACTLY_ONCE("exactly-once"),

  /**
   * An idempotent producer without transactions: no record is lost or duplicated by the producer's
   * own retries, but a batch that runs again after a crash writes its records again.
   */
  AT_LEAST_ONCE("at-least-once");

  private final String text;

  DeliveryGuarantee(String text) {
    this.text = text;
  }

  /** The value as an option names it, for example {@code exactly-once}. */
  @Override
  public String toString() {
    return text;
  }

  static DeliveryGuarantee parse(String text) {
    for (DeliveryGuarantee guarantee : values()) {
      if (guarantee.text.equals(text)) {
        return guarantee;
      }
    }
    throw new IllegalArgumentException("must be exactly-once or at-least-once");
  }
}
