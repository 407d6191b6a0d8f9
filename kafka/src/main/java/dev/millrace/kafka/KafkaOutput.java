package dev.millrace.kafka;

import dev.millrace.streaming.DStream;
import dev.millrace.streaming.StreamingListener;
import java.util.Map;
import java.util.function.Function;

/**
 * Writing a stream to Kafka, exactly once by default:
 *
 * <pre>{@code
 * KafkaOutput.saveToKafka(counts, pair -> KafkaOutputRecord.of(pair.key(), pair.value().toString()),
 *     Map.of(
 *         "bootstrap.servers", "kafka:9092",
 *         "topic", "word-counts",
 *         "outputName", "counts-out",
 *         "key.serializer", StringSerializer.class.getName(),
 *         "value.serializer", StringSerializer.class.getName()));
 * }</pre>
 *
 * <p>An output operation built on {@link DStream#foreachBatch}: the records of each batch are
 * computed by the executors and then pass through the driver, which writes them (as records handed
 * to {@code foreachRDD} and collected do in Spark). Size the driver for the largest batch.
 *
 * <p>With {@code deliveryGuarantee=exactly-once} (the default) each batch is written in one Kafka
 * transaction together with a marker of the batch, by a producer whose {@code transactional.id} is
 * {@code millrace-<app name>-<outputName>}: a batch that runs again after a crash is not written
 * twice, and a second instance of the output fences the first. Consumers see each record exactly
 * once only with {@code isolation.level=read_committed}. See {@link KafkaSinkOptions}.
 */
public final class KafkaOutput {
  private KafkaOutput() {}

  /**
   * Writes every batch of {@code stream} to Kafka, each element made a record by {@code toRecord}
   * (on the executors, fused with the stream's operations).
   *
   * @throws KafkaOutputException from the batch whose write failed, naming the topic and Kafka's
   *     error; the batch fails and runs again under the restart policy
   */
  public static <T, K, V> void saveToKafka(
      DStream<T> stream,
      Function<? super T, KafkaOutputRecord<K, V>> toRecord,
      KafkaSinkOptions options) {
    KafkaBatchWriter<K, V> writer = new KafkaBatchWriter<>(stream.context().appName(), options);
    stream.foreachBatch(batch -> writer.write(batch.time(), batch.map(toRecord).collect()));
    stream
        .context()
        .addStreamingListener(
            new StreamingListener() {
              @Override
              public void onStreamingStopped() {
                writer.close();
              }
            });
  }

  /**
   * Writes every batch of {@code stream} to Kafka, the options given as Kafka names them.
   *
   * @throws dev.millrace.streaming.ConfigurationException naming an option that is invalid
   */
  public static <T, K, V> void saveToKafka(
      DStream<T> stream,
      Function<? super T, KafkaOutputRecord<K, V>> toRecord,
      Map<String, String> options) {
    saveToKafka(stream, toRecord, KafkaSinkOptions.of(options));
  }
}
