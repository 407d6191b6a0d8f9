package dev.millrace.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the batches of one Kafka output, on the driver, one batch at a time.
 *
 * <p>Exactly-once: a batch is one transaction of a producer whose {@code transactional.id} is
 * {@code millrace-<app>-<outputName>}. The same transaction commits the batch time as the offset of
 * partition 0 of the batch's first topic in the consumer group of the same name ({@code
 * sendOffsetsToTransaction}): the broker makes the marker visible exactly when the records are. A
 * producer starting up first fences any older one with the same id (aborting its open transaction),
 * then reads the marker with {@code requireStable}; a batch at or before it was written already and
 * is skipped. A group offset was chosen over a marker record in a topic of our own because it needs
 * no extra topic (nothing to create or to be allowed to create) and is read with one admin call
 * instead of a consumer seeking to the end of a topic.
 *
 * <p>At-least-once: an idempotent producer without transactions, no marker.
 *
 * <p>Any failure closes the producer: the next batch (the same one, after a restart) starts a new
 * one, which fences and aborts whatever the failed one left open, and reads the marker again.
 */
final class KafkaBatchWriter<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchWriter.class);

  private static final long NEW_TOPIC_WAIT_NANOS = 2_000_000_000L;

  private final KafkaSinkOptions options;
  private final String transactionalId;
  private final String description;
  private final Set<String> knownTopics = new TreeSet<>();
  private Admin admin;
  private Producer<K, V> producer;
  private long lastWritten = Long.MIN_VALUE;

  KafkaBatchWriter(String appName, KafkaSinkOptions options) {
    this.options = options;
    boolean exactlyOnce = options.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE;
    this.transactionalId =
        exactlyOnce ? "millrace-" + appName + "-" + options.outputName().orElseThrow() : null;
    this.description =
        "Kafka output "
            + (exactlyOnce
                ? "'" + options.outputName().orElseThrow() + "' of app '" + appName + "'"
                : "of app '" + appName + "'")
            + " ("
            + options.deliveryGuarantee()
            + ", brokers "
            + String.join(",", options.bootstrapServers())
            + ")";
  }

  /**
   * Writes {@code records}, the whole batch {@code time}, or nothing if an earlier run of this
   * output wrote it already.
   *
   * @throws KafkaOutputException naming the topic and Kafka's error; nothing of the batch is
   *     visible to read_committed consumers then
   */
  void write(long time, List<KafkaOutputRecord<K, V>> records) {
    if (records.isEmpty()) {
      return;
    }
    List<ProducerRecord<K, V>> sends = new ArrayList<>(records.size());
    for (KafkaOutputRecord<K, V> record : records) {
      String topic = record.topic() != null ? record.topic() : options.topic().orElse(null);
      if (topic == null) {
        throw new KafkaOutputException(
            description
                + ": a record of batch "
                + time
                + " (key "
                + record.key()
                + ") names no topic and the output has no topic option: set topic=<name> or"
                + " name the topic in KafkaOutputRecord.to(topic, key, value).");
      }
      sends.add(new ProducerRecord<>(topic, record.key(), record.value()));
    }
    checkTopicsExist(time, sends);
    if (transactionalId == null) {
      writeAtLeastOnce(time, sends);
    } else {
      writeInTransaction(time, sends);
    }
  }

  private void writeAtLeastOnce(long time, List<ProducerRecord<K, V>> sends) {
    if (producer == null) {
      producer = new KafkaProducer<>(options.producerProperties(null));
    }
    try {
      sendAll(time, sends);
    } catch (RuntimeException e) {
      closeProducer();
      throw e;
    }
  }

  private void writeInTransaction(long time, List<ProducerRecord<K, V>> sends) {
    String topic = sends.get(0).topic();
    try {
      if (producer == null) {
        producer = new KafkaProducer<>(options.producerProperties(transactionalId));
        // Fences every older producer with this id and aborts the transaction it left open.
        producer.initTransactions();
        lastWritten = readMarker();
      }
    } catch (KafkaException e) {
      closeProducer();
      throw failure(time, topic, "starting the transactional producer failed", e);
    }
    if (time <= lastWritten) {
      LOG.info(
          "{}: batch {} was written already (last written batch {}); writing nothing",
          description,
          time,
          lastWritten);
      return;
    }
    try {
      producer.beginTransaction();
      sendAll(time, sends);
      producer.sendOffsetsToTransaction(
          Map.of(
              new TopicPartition(topic, 0),
              new OffsetAndMetadata(time, "millrace batch " + time + " written")),
          new ConsumerGroupMetadata(transactionalId));
      producer.commitTransaction();
      lastWritten = time;
    } catch (KafkaOutputException e) {
      abort();
      throw e;
    } catch (KafkaException e) {
      abort();
      throw failure(time, topic, "the transaction failed and was aborted", e);
    }
  }

  private void sendAll(long time, List<ProducerRecord<K, V>> sends) {
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    for (ProducerRecord<K, V> send : sends) {
      producer.send(
          send,
          (metadata, error) -> {
            if (error != null) {
              failed.compareAndSet(
                  null,
                  failure(time, send.topic(), "a record could not be written", asRuntime(error)));
            }
          });
    }
    try {
      producer.flush();
    } catch (KafkaException e) {
      throw failure(time, sends.get(0).topic(), "flushing the batch's records failed", e);
    }
    if (failed.get() != null) {
      throw failed.get();
    }
  }

  private long readMarker() {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin()
              .listConsumerGroupOffsets(
                  transactionalId, new ListConsumerGroupOffsetsOptions().requireStable(true))
              .partitionsToOffsetAndMetadata()
              .get();
      long last = Long.MIN_VALUE;
      for (OffsetAndMetadata offset : offsets.values()) {
        if (offset != null) {
          last = Math.max(last, offset.offset());
        }
      }
      LOG.info("{}: last written batch {}", description, last == Long.MIN_VALUE ? "none" : last);
      return last;
    } catch (ExecutionException e) {
      throw asKafka(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted reading the last written batch", e);
    }
  }

  private void checkTopicsExist(long time, List<ProducerRecord<K, V>> sends) {
    Set<String> unchecked = new TreeSet<>();
    for (ProducerRecord<K, V> send : sends) {
      if (!knownTopics.contains(send.topic())) {
        unchecked.add(send.topic());
      }
    }
    for (String topic : unchecked) {
      try {
        describeWaitingForNewTopic(topic);
        knownTopics.add(topic);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          throw new KafkaOutputException(
              description
                  + ": topic '"
                  + topic
                  + "' does not exist, so batch "
                  + time
                  + " was not written. The output never creates topics: create it (for example"
                  + " kafka-topics.sh --create --topic "
                  + topic
                  + ") or correct the topic option or the records' topic.",
              e.getCause());
        }
        throw failure(time, topic, "checking that the topic exists failed", asKafka(e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure(time, topic, "interrupted checking that the topic exists", e);
      }
    }
  }

  /**
   * Describes {@code topic}, asking again for a short while if the broker does not know it: a
   * broker learns of a topic from the controller moments after its creation returns, so a topic
   * created just before the app started can look missing for a few milliseconds.
   */
  private void describeWaitingForNewTopic(String topic)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + NEW_TOPIC_WAIT_NANOS;
    while (true) {
      try {
        admin().describeTopics(List.of(topic)).allTopicNames().get();
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private void abort() {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      // A fenced or failed producer cannot abort; the next producer with this id aborts its
      // transaction when it starts.
      LOG.debug("{}: abort failed: {}", description, e.toString());
    }
    closeProducer();
  }

  private void closeProducer() {
    if (producer != null) {
      producer.close(java.time.Duration.ZERO);
      producer = null;
    }
  }

  /** Closes the producer and the admin client; a later write opens them again. */
  void close() {
    closeProducer();
    if (admin != null) {
      admin.close(java.time.Duration.ZERO);
      admin = null;
    }
  }

  private Admin admin() {
    if (admin == null) {
      admin = Admin.create(options.adminProperties());
    }
    return admin;
  }

  private KafkaOutputException failure(long time, String topic, String what, Exception cause) {
    String advice =
        cause instanceof ProducerFencedException
            ? "another instance of this app started this output with the same transactional.id "
                + transactionalId
                + " and fenced this one: run one instance of the app at a time"
            : transactionalId == null
                ? "records of the batch sent before the failure stay written (at-least-once); the"
                    + " batch is written again when it runs again after a restart"
                : "nothing of the batch is visible to read_committed consumers; it is written"
                    + " when it runs again after a restart";
    return new KafkaOutputException(
        description
            + ": writing batch "
            + time
            + " to topic '"
            + topic
            + "' failed, "
            + what
            + ": "
            + cause
            + ". "
            + advice
            + ".",
        cause);
  }

  private static RuntimeException asRuntime(Exception error) {
    return error instanceof RuntimeException r ? r : new KafkaException(error);
  }

  private static KafkaException asKafka(Throwable error) {
    return error instanceof KafkaException k ? k : new KafkaException(error);
  }
}
