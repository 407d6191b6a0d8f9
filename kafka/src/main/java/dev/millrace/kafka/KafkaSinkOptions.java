package dev.millrace.kafka;

import dev.millrace.runtime.config.ConfigOption;
import dev.millrace.streaming.ConfigurationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The settings of a Kafka output ({@link KafkaOutput#saveToKafka}), validated when they are read: a
 * value that cannot run fails with a {@link ConfigurationException} naming the option, the value
 * and a valid example. Options named like a Kafka producer setting mean what they mean to Kafka;
 * any other producer or admin client setting (say {@code compression.type}) passes through to the
 * clients unchanged. Immutable.
 */
public final class KafkaSinkOptions {

  /** The brokers to ask first. */
  public static final ConfigOption<List<String>> BOOTSTRAP_SERVERS =
      new ConfigOption<>(
          "bootstrap.servers",
          null,
          "required",
          "The brokers to contact first, host:port separated by commas, for example"
              + " broker1:9092,broker2:9092.",
          KafkaOptions::hostPorts);

  /** The topic of records that name none. */
  public static final ConfigOption<String> TOPIC =
      new ConfigOption<>(
          "topic",
          null,
          "none",
          "The topic records are written to when they name none, for example word-counts. It must"
              + " exist: the output never creates topics.",
          KafkaSinkOptions::topic);

  /** Whether a batch is written in one transaction, once, or may be written again. */
  public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE =
      new ConfigOption<>(
          "deliveryGuarantee",
          DeliveryGuarantee.EXACTLY_ONCE,
          "exactly-once",
          "exactly-once (each batch in one Kafka transaction, written once even when it runs"
              + " again after a crash; consumers must read with isolation.level=read_committed) or"
              + " at-least-once (idempotent producer, no transactions; a batch that runs again is"
              + " written again), for example deliveryGuarantee=at-least-once.",
          DeliveryGuarantee::parse);

  /** The output's name, part of its transactional.id. */
  public static final ConfigOption<String> OUTPUT_NAME =
      new ConfigOption<>(
          "outputName",
          null,
          "required for exactly-once",
          "A name for this output, the same across restarts and different from the app's other"
              + " Kafka outputs, for example counts-out. With the app name it makes the"
              + " transactional.id millrace-<app>-<outputName>, also the consumer group that"
              + " records the last batch written.",
          KafkaSinkOptions::outputName);

  /** The serializer of record keys. */
  public static final ConfigOption<Class<? extends Serializer<?>>> KEY_SERIALIZER =
      new ConfigOption<>(
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ByteArraySerializer.class,
          ByteArraySerializer.class.getName(),
          "The class that turns keys into bytes, for example"
              + " org.apache.kafka.common.serialization.StringSerializer.",
          KafkaSinkOptions::serializer);

  /** The serializer of record values. */
  public static final ConfigOption<Class<? extends Serializer<?>>> VALUE_SERIALIZER =
      new ConfigOption<>(
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ByteArraySerializer.class,
          ByteArraySerializer.class.getName(),
          "The class that turns values into bytes, for example"
              + " org.apache.kafka.common.serialization.StringSerializer.",
          KafkaSinkOptions::serializer);

  /** Producer settings the output decides itself, and why. */
  private static final Map<String, String> OWNED_CLIENT_SETTINGS =
      Map.of(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          "the output derives it from the app name and outputName, so that a restarted output"
              + " fences its predecessor; set outputName instead",
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          "without idempotence the producer's own retries can write a record twice, and"
              + " transactions need it; both guarantees keep it on",
          ProducerConfig.ACKS_CONFIG,
          "the idempotent producer both guarantees use needs acks=all");

  private final Map<String, String> conf;
  private final List<String> bootstrapServers;
  private final Optional<String> topic;
  private final DeliveryGuarantee deliveryGuarantee;
  private final Optional<String> outputName;
  private final Map<String, String> passthrough;

  private KafkaSinkOptions(Map<String, String> conf) {
    this.conf = Map.copyOf(conf);
    if (!conf.containsKey(BOOTSTRAP_SERVERS.key())) {
      throw new ConfigurationException(
          "Kafka output option bootstrap.servers is missing: name the brokers to contact, for"
              + " example bootstrap.servers=broker1:9092,broker2:9092.");
    }
    this.bootstrapServers = BOOTSTRAP_SERVERS.read(conf);
    this.topic = Optional.ofNullable(TOPIC.read(conf));
    this.deliveryGuarantee = DELIVERY_GUARANTEE.read(conf);
    this.outputName = Optional.ofNullable(OUTPUT_NAME.read(conf));
    if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE && outputName.isEmpty()) {
      throw new ConfigurationException(
          "Kafka output option outputName is missing: exactly-once needs a name for the output,"
              + " the same across restarts, for its transactional.id, for example"
              + " outputName=counts-out (or set deliveryGuarantee=at-least-once).");
    }
    KEY_SERIALIZER.read(conf);
    VALUE_SERIALIZER.read(conf);
    this.passthrough = passthrough(conf);
  }

  /**
   * Reads and validates {@code conf}: this class's options by their keys, any other Kafka producer
   * or admin client setting by its own name.
   *
   * @throws ConfigurationException naming the first option that cannot run, its value and a valid
   *     example
   */
  public static KafkaSinkOptions of(Map<String, String> conf) {
    return new KafkaSinkOptions(conf);
  }

  /** Every option of this class, for the configuration reference. */
  public static List<ConfigOption<?>> all() {
    return List.of(
        BOOTSTRAP_SERVERS,
        TOPIC,
        DELIVERY_GUARANTEE,
        OUTPUT_NAME,
        KEY_SERIALIZER,
        VALUE_SERIALIZER);
  }

  /** The settings as given. */
  public Map<String, String> asMap() {
    return conf;
  }

  /** The brokers to contact first, as host:port. */
  public List<String> bootstrapServers() {
    return bootstrapServers;
  }

  /** The topic of records that name none, if any. */
  public Optional<String> topic() {
    return topic;
  }

  /** Exactly once (transactions) or at least once. */
  public DeliveryGuarantee deliveryGuarantee() {
    return deliveryGuarantee;
  }

  /** The output's name; always present for exactly-once. */
  public Optional<String> outputName() {
    return outputName;
  }

  /** The settings of the admin client that checks topics and reads the last written batch. */
  Map<String, Object> adminProperties() {
    Map<String, Object> props = new HashMap<>();
    passthrough.forEach(
        (key, value) -> {
          if (AdminClientConfig.configNames().contains(key)) {
            props.put(key, value);
          }
        });
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
    return props;
  }

  /**
   * The settings of the output's producer: idempotent with acks=all, transactional with {@code
   * transactionalId} when that is given (exactly-once), the configured serializers.
   */
  Map<String, Object> producerProperties(String transactionalId) {
    Map<String, Object> props = new HashMap<>();
    // PLATFORM-NOTES: the default 100 ms back-off makes each transaction after the first wait on
    // CONCURRENT_TRANSACTIONS; a setting given passes through below.
    props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "10");
    passthrough.forEach(
        (key, value) -> {
          if (ProducerConfig.configNames().contains(key)) {
            props.put(key, value);
          }
        });
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, KEY_SERIALIZER.read(conf));
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, VALUE_SERIALIZER.read(conf));
    if (transactionalId != null) {
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return props;
  }

  private static Map<String, String> passthrough(Map<String, String> conf) {
    Set<String> clients = new HashSet<>(ProducerConfig.configNames());
    clients.addAll(AdminClientConfig.configNames());
    return new ClientSettings(
            "Kafka output option",
            "an output option",
            "producer or admin client",
            "compression.type=zstd",
            "")
        .passthrough(conf, all(), OWNED_CLIENT_SETTINGS, KafkaSinkOptions::harmless, clients);
  }

  /** A setting the output decides, set to what the output sets it to anyway. */
  private static boolean harmless(String key, String value) {
    return key.equals(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)
            && value.trim().equalsIgnoreCase("true")
        || key.equals(ProducerConfig.ACKS_CONFIG) && List.of("all", "-1").contains(value.trim());
  }

  private static String topic(String text) {
    TopicNames.check(text);
    return text;
  }

  private static String outputName(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("the name is empty");
    }
    return text;
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Serializer<?>> serializer(String text) {
    return (Class<? extends Serializer<?>>) ClientSettings.implementing(text, Serializer.class);
  }
}
