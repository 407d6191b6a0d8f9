package dev.millrace.kafka;

import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.DStream;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.util.Map;

/**
 * Streams of Kafka records, exactly once:
 *
 * <pre>{@code
 * DStream<KafkaRecord<String, String>> events = KafkaInput.directStream(ssc, Map.of(
 *     "bootstrap.servers", "kafka:9092",
 *     "subscribe", "events",
 *     "key.deserializer", StringDeserializer.class.getName(),
 *     "value.deserializer", StringDeserializer.class.getName()));
 * }</pre>
 *
 * <p>Each batch reads per-partition offset ranges the driver plans and logs in the checkpoint's
 * batch log before the batch runs; after a driver failure the recovery reads exactly the logged
 * ranges again and continues after them, never from consumer group offsets. Executors read their
 * tasks' ranges themselves. With {@code commitGroupId}, the offsets of every completed batch
 * (including the last one of a graceful stop) are committed to that group, so that standard tools
 * show the lag. See {@link KafkaOptions} for every option.
 */
public final class KafkaInput {
  private KafkaInput() {}

  /** The records of the topics {@code options} subscribe to. */
  public static <K, V> DStream<KafkaRecord<K, V>> directStream(
      StreamingContext ssc, KafkaOptions options) {
    return directStream(ssc, new KafkaSource<K, V>(options, ssc.batchInterval()));
  }

  /** The records {@code source} reads; its completed batches commit for lag monitoring. */
  static <K, V> DStream<KafkaRecord<K, V>> directStream(
      StreamingContext ssc, KafkaSource<K, V> source) {
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            source.completed(batch.batchTime());
          }

          @Override
          public void onStreamingStopped() {
            source.streamingStopped();
          }
        });
    return ssc.stream(source);
  }

  /**
   * The records of the topics {@code options} subscribe to, the options given as Kafka names them.
   *
   * @throws dev.millrace.streaming.ConfigurationException naming an option that is invalid
   */
  public static <K, V> DStream<KafkaRecord<K, V>> directStream(
      StreamingContext ssc, Map<String, String> options) {
    return directStream(ssc, KafkaOptions.of(options));
  }
}
