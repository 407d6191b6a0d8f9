package dev.millrace.bench.kafka;

import dev.millrace.bench.Engine;

/**
 * One streaming engine running the stateless word count over a Kafka topic in this JVM.
 * Implementations must not touch the other engine's classes: each runs on a class path that holds
 * only its own engine (and its own Kafka client).
 */
public interface KafkaEngine {

  /**
   * Starts a stream of {@code intervalMs} batches reading {@code topic} from its earliest offset
   * with {@code read_committed}, at most {@code maxRatePerPartition} records per second and
   * partition (0 for no limit), counting words and only counting the result; every completed batch
   * is reported to {@code listener}.
   */
  void startCounting(
      String bootstrap,
      String topic,
      long intervalMs,
      long maxRatePerPartition,
      Engine.BatchCompleted listener);

  /**
   * Starts the same word count without a rate limit, each word's count written to {@code
   * outputTopic} as a record keyed by the word with the value {@link CountSince#format} gives
   * (count and oldest producer timestamp counted, relative to {@code base}).
   */
  void startCountingTo(
      String bootstrap,
      String topic,
      String outputTopic,
      long intervalMs,
      long base,
      Engine.BatchCompleted listener);

  /** Stops the stream, keeping the engine's context (Spark's SparkContext) for the next one. */
  void stop();
}
