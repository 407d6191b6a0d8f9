package dev.millrace.kafka;

import dev.millrace.runtime.config.ConfigOption;
import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The settings of a Kafka source, validated when they are read: a value that cannot run fails with
 * a {@link ConfigurationException} naming the option, the value and a valid example. Options named
 * like a Kafka client setting ({@code bootstrap.servers}, {@code isolation.level}, {@code
 * key.deserializer}) mean what they mean to Kafka; any other Kafka consumer or admin client setting
 * (say {@code security.protocol}) passes through to the clients unchanged. Immutable.
 */
public final class KafkaOptions {

  /** The brokers to ask first. */
  public static final ConfigOption<List<String>> BOOTSTRAP_SERVERS =
      new ConfigOption<>(
          "bootstrap.servers",
          null,
          "required",
          "The brokers to contact first, host:port separated by commas, for example"
              + " broker1:9092,broker2:9092.",
          KafkaOptions::hostPorts);

  /** The topics to read, unless {@link #SUBSCRIBE_PATTERN} is given. */
  public static final ConfigOption<List<String>> SUBSCRIBE =
      new ConfigOption<>(
          "subscribe",
          null,
          "none",
          "The topics to read, separated by commas, for example orders,payments. Give this or"
              + " subscribePattern.",
          KafkaOptions::topics);

  /** A pattern for the names of the topics to read, unless {@link #SUBSCRIBE} is given. */
  public static final ConfigOption<Pattern> SUBSCRIBE_PATTERN =
      new ConfigOption<>(
          "subscribePattern",
          null,
          "none",
          "A Java regular expression the whole topic name must match, for example orders-.*;"
              + " topics created later are read from the next batch. Give this or subscribe.",
          KafkaOptions::pattern);

  /** Where a first start (no checkpoint) begins. */
  public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
      new ConfigOption<>(
          "startingOffsets",
          new StartingOffsets.Latest(),
          "latest",
          "Where the first batch starts when there is no checkpoint: earliest, latest,"
              + " timestamp:<epoch millis or ISO-8601 instant> (for example"
              + " timestamp:2026-12-07T10:00:00Z) or per-partition offsets (for example"
              + " orders:0=42,orders:1=17; partitions not listed start at earliest). After a"
              + " restart the position comes from the checkpoint.",
          StartingOffsets::parse);

  /** Whether records of open and aborted transactions are read. */
  public static final ConfigOption<IsolationLevel> ISOLATION_LEVEL =
      new ConfigOption<>(
          "isolation.level",
          IsolationLevel.READ_COMMITTED,
          "read_committed",
          "read_committed (batches end at the last stable offset and aborted records are never"
              + " read) or read_uncommitted (batches end at the high watermark), for example"
              + " isolation.level=read_committed.",
          KafkaOptions::isolationLevel);

  /** A fixed ceiling on records per second and partition. */
  public static final ConfigOption<Double> MAX_RATE_PER_PARTITION =
      new ConfigOption<>(
          "maxRatePerPartition",
          Double.POSITIVE_INFINITY,
          "unlimited",
          "The most records per second each partition gives a batch, whatever backpressure"
              + " allows, for example 50000.",
          KafkaOptions::positiveRate);

  /** Whether offsets deleted before they were read fail the batch. */
  public static final ConfigOption<Boolean> FAIL_ON_DATA_LOSS =
      new ConfigOption<>(
          "failOnDataLoss",
          true,
          "true: a batch whose range starts below the earliest offset the broker holds (retention"
              + " deleted records before they were read) fails, naming them, and the driver stops"
              + " with exit code 66 (not restarted: a restart would meet the same gap); false:"
              + " those records are skipped with a warning and counted; for example"
              + " failOnDataLoss=false.",
          KafkaOptions::bool);

  /** A consumer group the processed offsets are committed to, for lag monitoring only. */
  public static final ConfigOption<String> COMMIT_GROUP_ID =
      new ConfigOption<>(
          "commitGroupId",
          null,
          "none",
          "A consumer group the offsets of completed batches are committed to, so that"
              + " kafka-consumer-groups.sh shows the lag, for example orders-counter. Recovery"
              + " never reads it.",
          KafkaOptions::groupId);

  /** How long planning a batch may retry a broker that does not answer. */
  public static final ConfigOption<Duration> PLANNING_TIMEOUT =
      new ConfigOption<>(
          "planningTimeout",
          Durations.seconds(60),
          "60s",
          "How long planning a batch retries brokers that are down or partitions without a leader"
              + " before the batch fails naming them, for example 2m.",
          KafkaOptions::positiveDuration);

  /** The most records one task reads; a larger range is split into several tasks. */
  public static final ConfigOption<Long> MAX_RECORDS_PER_TASK =
      new ConfigOption<>(
          "maxRecordsPerTask",
          Long.MAX_VALUE,
          "unlimited",
          "The most offsets one task reads: a larger range of a partition is split into several"
              + " tasks that read in parallel, for example 500000.",
          KafkaOptions::positiveLong);

  /** The deserializer of record keys. */
  public static final ConfigOption<Class<? extends Deserializer<?>>> KEY_DESERIALIZER =
      new ConfigOption<>(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ByteArrayDeserializer.class,
          ByteArrayDeserializer.class.getName(),
          "The class that turns key bytes into keys, for example"
              + " org.apache.kafka.common.serialization.StringDeserializer.",
          KafkaOptions::deserializer);

  /** The deserializer of record values. */
  public static final ConfigOption<Class<? extends Deserializer<?>>> VALUE_DESERIALIZER =
      new ConfigOption<>(
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ByteArrayDeserializer.class,
          ByteArrayDeserializer.class.getName(),
          "The class that turns value bytes into values, for example"
              + " org.apache.kafka.common.serialization.StringDeserializer.",
          KafkaOptions::deserializer);

  /**
   * Consumer settings the source decides itself: positions come from the batch log and ranges are
   * read with assign and seek, so a group, committed positions or an automatic reset would change
   * what a replay reads.
   */
  private static final Map<String, String> OWNED_CLIENT_SETTINGS =
      Map.of(
          ConsumerConfig.GROUP_ID_CONFIG, "use commitGroupId for lag monitoring",
          ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "ranges are read without a consumer group",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "use commitGroupId for lag monitoring",
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "use startingOffsets and failOnDataLoss");

  private final Map<String, String> conf;
  private final List<String> bootstrapServers;
  private final TopicSubscription subscription;
  private final StartingOffsets startingOffsets;
  private final IsolationLevel isolationLevel;
  private final double maxRatePerPartition;
  private final boolean failOnDataLoss;
  private final Optional<String> commitGroupId;
  private final Duration planningTimeout;
  private final long maxRecordsPerTask;
  private final Map<String, String> passthrough;

  private KafkaOptions(Map<String, String> conf) {
    this.conf = Map.copyOf(conf);
    if (!conf.containsKey(BOOTSTRAP_SERVERS.key())) {
      throw new ConfigurationException(
          "Kafka option bootstrap.servers is missing: name the brokers to contact, for example"
              + " bootstrap.servers=broker1:9092,broker2:9092.");
    }
    this.bootstrapServers = BOOTSTRAP_SERVERS.read(conf);
    boolean topics = conf.containsKey(SUBSCRIBE.key());
    boolean pattern = conf.containsKey(SUBSCRIBE_PATTERN.key());
    if (topics == pattern) {
      throw new ConfigurationException(
          "Kafka options "
              + (topics
                  ? "subscribe="
                      + conf.get(SUBSCRIBE.key())
                      + " and subscribePattern="
                      + conf.get(SUBSCRIBE_PATTERN.key())
                      + " are both given"
                  : "subscribe and subscribePattern are both missing")
              + ": give exactly one, for example subscribe=orders,payments or"
              + " subscribePattern=orders-.*.");
    }
    this.subscription =
        topics
            ? new TopicSubscription.Topics(SUBSCRIBE.read(conf))
            : new TopicSubscription.TopicPattern(SUBSCRIBE_PATTERN.read(conf));
    this.startingOffsets = STARTING_OFFSETS.read(conf);
    this.isolationLevel = ISOLATION_LEVEL.read(conf);
    this.maxRatePerPartition = MAX_RATE_PER_PARTITION.read(conf);
    this.failOnDataLoss = FAIL_ON_DATA_LOSS.read(conf);
    this.commitGroupId = Optional.ofNullable(COMMIT_GROUP_ID.read(conf));
    this.planningTimeout = PLANNING_TIMEOUT.read(conf);
    this.maxRecordsPerTask = MAX_RECORDS_PER_TASK.read(conf);
    KEY_DESERIALIZER.read(conf);
    VALUE_DESERIALIZER.read(conf);
    this.passthrough = passthrough(conf);
  }

  /**
   * Reads and validates {@code conf}: this class's options by their keys, any other Kafka consumer
   * or admin client setting by its own name.
   *
   * @throws ConfigurationException naming the first option that cannot run, its value and a valid
   *     example
   */
  public static KafkaOptions of(Map<String, String> conf) {
    return new KafkaOptions(conf);
  }

  /** Every option of this class, for the configuration reference. */
  public static List<ConfigOption<?>> all() {
    return List.of(
        BOOTSTRAP_SERVERS,
        SUBSCRIBE,
        SUBSCRIBE_PATTERN,
        STARTING_OFFSETS,
        ISOLATION_LEVEL,
        MAX_RATE_PER_PARTITION,
        FAIL_ON_DATA_LOSS,
        COMMIT_GROUP_ID,
        PLANNING_TIMEOUT,
        MAX_RECORDS_PER_TASK,
        KEY_DESERIALIZER,
        VALUE_DESERIALIZER);
  }

  /** The settings as given, for shipping them to another process. */
  public Map<String, String> asMap() {
    return conf;
  }

  /** The brokers to contact first, as host:port. */
  public List<String> bootstrapServers() {
    return bootstrapServers;
  }

  /** Which topics are read. */
  public TopicSubscription subscription() {
    return subscription;
  }

  /** Where a first start begins. */
  public StartingOffsets startingOffsets() {
    return startingOffsets;
  }

  /** Whether aborted and open transactions' records are read, and where a batch ends. */
  public IsolationLevel isolationLevel() {
    return isolationLevel;
  }

  /** Records per second and partition at most; infinite when unlimited. */
  public double maxRatePerPartition() {
    return maxRatePerPartition;
  }

  /** Whether offsets deleted before they were read fail the batch (or are skipped and counted). */
  public boolean failOnDataLoss() {
    return failOnDataLoss;
  }

  /** The group the processed offsets are committed to for lag monitoring, if any. */
  public Optional<String> commitGroupId() {
    return commitGroupId;
  }

  /** How long planning retries an unavailable broker or partition. */
  public Duration planningTimeout() {
    return planningTimeout;
  }

  /** The most offsets one task reads; {@link Long#MAX_VALUE} when ranges are never split. */
  public long maxRecordsPerTask() {
    return maxRecordsPerTask;
  }

  /** The settings of the admin client the driver plans with. */
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
   * The settings of a consumer that reads ranges with assign and seek: no group, no automatic reset
   * (a deleted offset must surface, not be skipped silently), the configured isolation and
   * deserializers.
   */
  Map<String, Object> consumerProperties() {
    Map<String, Object> props = new HashMap<>();
    // A range is read up to a known offset, never waited for: with Kafka's 500 ms default a fetch
    // at a range's tail that holds nothing visible yet (aborted records, transaction markers) sits
    // out the full wait, several times per batch, and a restarted driver on a transactional topic
    // fell ever further behind (KafkaCrashTest: 2-2.5 s per 500 ms batch). A user's value wins.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    passthrough.forEach(
        (key, value) -> {
          if (ConsumerConfig.configNames().contains(key)) {
            props.put(key, value);
          }
        });
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel.toString());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, KEY_DESERIALIZER.read(conf));
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, VALUE_DESERIALIZER.read(conf));
    return props;
  }

  private static Map<String, String> passthrough(Map<String, String> conf) {
    Set<String> clients = new HashSet<>(ConsumerConfig.configNames());
    clients.addAll(AdminClientConfig.configNames());
    return new ClientSettings(
            "Kafka option",
            "a source option",
            "consumer or admin client",
            "security.protocol=SSL",
            "the source reads offset ranges from its checkpoint with assign and seek; ")
        .passthrough(conf, all(), OWNED_CLIENT_SETTINGS, (key, value) -> false, clients);
  }

  static List<String> hostPorts(String text) {
    List<String> servers = Arrays.stream(text.split(",")).map(String::trim).toList();
    for (String server : servers) {
      int colon = server.lastIndexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("'" + server + "' is not host:port");
      }
      int port;
      try {
        port = Integer.parseInt(server.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + server + "' has no numeric port");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " of '" + server + "' is out of range");
      }
    }
    return servers;
  }

  private static List<String> topics(String text) {
    List<String> topics = Arrays.stream(text.split(",")).map(String::trim).toList();
    topics.forEach(TopicNames::check);
    if (topics.stream().distinct().count() < topics.size()) {
      throw new IllegalArgumentException("a topic is named twice");
    }
    return topics;
  }

  private static Pattern pattern(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the pattern is empty");
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "not a regular expression (" + e.getDescription() + " at index " + e.getIndex() + ")");
    }
  }

  private static IsolationLevel isolationLevel(String text) {
    for (IsolationLevel level : IsolationLevel.values()) {
      if (level.toString().equals(text)) {
        return level;
      }
    }
    throw new IllegalArgumentException("must be read_committed or read_uncommitted");
  }

  private static Double positiveRate(String text) {
    if (text.equals("unlimited")) {
      return Double.POSITIVE_INFINITY;
    }
    double rate = Double.parseDouble(text);
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("must be a positive number of records per second");
    }
    return rate;
  }

  private static Long positiveLong(String text) {
    if (text.equals("unlimited")) {
      return Long.MAX_VALUE;
    }
    long n = Long.parseLong(text);
    if (n < 1) {
      throw new IllegalArgumentException("must be at least 1");
    }
    return n;
  }

  private static Boolean bool(String text) {
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException("must be true or false");
  }

  private static String groupId(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("the group id is empty");
    }
    return text;
  }

  private static Duration positiveDuration(String text) {
    Duration duration = Durations.parse(text);
    if (duration.milliseconds() < 1) {
      throw new IllegalArgumentException("must be positive");
    }
    return duration;
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Deserializer<?>> deserializer(String text) {
    return (Class<? extends Deserializer<?>>) ClientSettings.implementing(text, Deserializer.class);
  }
}
