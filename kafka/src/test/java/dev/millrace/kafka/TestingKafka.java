package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker for a test class (one KRaft node acting as controller and broker, in
 * process), started before its first test and closed after its last: {@code @RegisterExtension
 * static final TestingKafka kafka = new TestingKafka();}. It is configured like a production broker
 * (production metadata version, unstable APIs and features off) with the settings a single broker
 * needs. Its retention check runs every 500 ms, so a topic created with {@code
 * segment.bytes=1048576} and {@code retention.ms=1000} loses old records within about a second
 * (PLATFORM-NOTES); {@link #deleteRecordsBefore} deletes at once. The first broker in a JVM takes
 * 6–16 s here, later ones 0.3–2 s: use one per test class.
 */
public final class TestingKafka implements BeforeAllCallback, AfterAllCallback {

  private KafkaClusterTestKit cluster;
  private Admin admin;
  private boolean stopped;
  private boolean brokerStopped;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .build();
    cluster =
        new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp("unstable.api.versions.enable", "false")
            .setConfigProp("unstable.feature.versions.enable", "false")
            // One broker: internal topics cannot have more replicas; without the transaction
            // log's, initTransactions() blocks 60 s and times out with no useful message.
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            // Retention runs often enough for FAST_RETENTION topics.
            .setConfigProp("log.retention.check.interval.ms", "500")
            .setConfigProp("log.initial.task.delay.ms", "0")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  /** Stops the broker (a test of an outage may call it; the class's end does otherwise). */
  public void stop() throws Exception {
    if (stopped) {
      return;
    }
    stopped = true;
    if (admin != null) {
      admin.close(Duration.ZERO);
    }
    if (cluster != null) {
      // KafkaClusterTestKit.close() throws when called twice: only here, once.
      cluster.close();
    }
  }

  /**
   * Shuts the broker down in place, as an operator's restart would: clients are refused, its
   * partitions have no leader; its controller, log directories and port stay, so {@link
   * #startBroker} brings the same broker back at the same address with its data.
   */
  public void stopBroker() {
    brokerStopped = true;
    broker().shutdown();
    broker().awaitShutdown();
  }

  /**
   * Starts the broker {@link #stopBroker} stopped, on the same port (the test kit opens its
   * listener again at the port it first bound) and log directories, and waits until it is ready.
   */
  public void startBroker() throws Exception {
    if (!brokerStopped) {
      return;
    }
    brokerStopped = false;
    broker().startup();
    cluster.waitForReadyBrokers();
  }

  private BrokerServer broker() {
    return cluster.brokers().values().iterator().next();
  }

  /** {@code localhost:<port>} of the broker. */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** An admin client of the broker, owned by this class. */
  public Admin admin() {
    return admin;
  }

  /** Creates {@code topic} with {@code partitions} partitions. */
  public void createTopic(String topic, int partitions) {
    createTopic(topic, partitions, Map.of());
  }

  /** Creates {@code topic} with {@code partitions} partitions and topic {@code settings}. */
  public void createTopic(String topic, int partitions, Map<String, String> settings) {
    await(
        admin
            .createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(settings)))
            .all());
  }

  /** Raises {@code topic}'s partition count to {@code total}. */
  public void addPartitions(String topic, int total) {
    await(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(total))).all());
  }

  /** Deletes the records of {@code topic}:{@code partition} below {@code offset}. */
  public void deleteRecordsBefore(String topic, int partition, long offset) {
    await(
        admin
            .deleteRecords(
                Map.of(new TopicPartition(topic, partition), RecordsToDelete.beforeOffset(offset)))
            .all());
  }

  /** Writes {@code values} (keyed {@code key-<value>}) to one partition, without a transaction. */
  public void produce(String topic, int partition, String... values) {
    try (Producer<String, String> producer = new KafkaProducer<>(producerProperties(null))) {
      for (String value : values) {
        await(producer.send(new ProducerRecord<>(topic, partition, "key-" + value, value)));
      }
    }
  }

  /**
   * Writes {@code values} to one partition in one transaction, committed or aborted: under
   * read_committed the aborted ones are never read, yet they and the transaction's marker take
   * offsets.
   */
  public void produceInTransaction(String topic, int partition, boolean commit, String... values) {
    try (Producer<String, String> producer =
        new KafkaProducer<>(producerProperties("testing-" + UUID.randomUUID()))) {
      producer.initTransactions();
      producer.beginTransaction();
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, partition, "key-" + value, value));
      }
      if (commit) {
        producer.commitTransaction();
      } else {
        producer.flush();
        producer.abortTransaction();
      }
    }
  }

  /** Writes one record with {@code headers} (name, value, name, value…) to one partition. */
  public void produceWithHeaders(String topic, int partition, String value, String... headers) {
    ProducerRecord<String, String> record =
        new ProducerRecord<>(topic, partition, "key-" + value, value);
    for (int i = 0; i < headers.length; i += 2) {
      record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    try (Producer<String, String> producer = new KafkaProducer<>(producerProperties(null))) {
      await(producer.send(record));
    }
  }

  /**
   * Every value of {@code topic} up to its end as a consumer with {@code isolation} ({@code
   * read_committed}, {@code read_uncommitted}) sees it, sorted.
   */
  public List<String> read(String topic, String isolation) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    try (Consumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // Under read_committed the end is the last stable offset: an open transaction holds it.
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          fail("reading " + topic + " did not reach " + ends + " within 30 s");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          values.add(record.value());
        }
      }
    }
    values.sort(null);
    return values;
  }

  private Properties producerProperties(String transactionalId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // PLATFORM-NOTES: a low back-off avoids CONCURRENT_TRANSACTIONS waits between transactions.
    props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "10");
    if (transactionalId != null) {
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return props;
  }

  private static <T> T await(java.util.concurrent.Future<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka refused: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
