package dev.millrace.runtime.config;

import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;

/** The engine's settings, passed as {@code conf} entries of a context or an application spec. */
public final class StreamingOptions {
  private StreamingOptions() {}

  private static final String UNLIMITED = "unlimited";

  /** Partitions of shuffles (reduceByKey, join, state) when the operation names none. */
  public static final ConfigOption<Integer> DEFAULT_PARALLELISM =
      new ConfigOption<>(
          "millrace.default.parallelism",
          null,
          "N of local[N] (spec.driver.cores)",
          "Partitions of keyed operations that do not name a count; defaults to the N of local[N]"
              + " (spec.driver.cores). With executors, which own the partitions of keyed state,"
              + " set it to at least executor.instances × executor.cores: the driver warns when"
              + " executors would own none. It is not derived from the executor count, which"
              + " changes in place, while the partition count is part of the graph every process"
              + " rebuilds.",
          StreamingOptions::positiveInt);

  /** How long a graceful stop may take before processing is interrupted. */
  public static final ConfigOption<Duration> GRACEFUL_STOP_TIMEOUT =
      new ConfigOption<>(
          "millrace.stop.graceful-timeout",
          Durations.seconds(30),
          "30s",
          "How long stop(true) or SIGTERM waits for queued batches before interrupting them.",
          Durations::parse);

  /** Where checkpoints go when the code does not call {@code ssc.checkpoint(dir)}. */
  public static final ConfigOption<String> CHECKPOINT_DIR =
      new ConfigOption<>(
          "millrace.checkpoint.dir",
          null,
          "none",
          "Checkpoint directory (file://, hdfs://, s3a:// or a local path); an application with one"
              + " resumes from it after a restart. ssc.checkpoint(dir) takes precedence.",
          text -> text);

  /** How often state is checkpointed; default ten batch intervals. */
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      new ConfigOption<>(
          "millrace.checkpoint.interval",
          null,
          "10 batch intervals",
          "How often stateful operators are checkpointed, a multiple of the batch interval;"
              + " defaults to 10 batch intervals. dstream.checkpoint(interval) takes precedence.",
          Durations::parse);

  /** How many checkpoint generations are kept. */
  public static final ConfigOption<Integer> CHECKPOINT_RETAIN =
      new ConfigOption<>(
          "millrace.checkpoint.retain",
          10,
          "How many of the newest checkpoint generations are kept; recovery falls back past a"
              + " damaged one to the next older.",
          StreamingOptions::positiveInt);

  /** How long a driver's checkpoint lease lasts without a renewal. */
  public static final ConfigOption<Duration> CHECKPOINT_LEASE_TIMEOUT =
      new ConfigOption<>(
          "millrace.checkpoint.lease-timeout",
          Durations.seconds(30),
          "30s",
          "How long a driver's lease on its checkpoint directory lasts without a renewal (it renews"
              + " every third of it); a driver on another host that ended without releasing it is"
              + " replaced this long after its last renewal. At least 1s.",
          text -> {
            Duration timeout = Durations.parse(text);
            if (timeout.milliseconds() < 1000) {
              throw new IllegalArgumentException("must be at least 1s");
            }
            return timeout;
          });

  /** Whether batches missed while the driver was down run as one batch. */
  public static final ConfigOption<Boolean> COALESCE_DOWNTIME_BATCHES =
      new ConfigOption<>(
          "millrace.recovery.coalesce-downtime-batches",
          false,
          "After a restart, run the batches missed while the driver was down as one batch instead"
              + " of one per interval. Only for graphs without windows or updateStateByKey.",
          StreamingOptions::bool);

  /** Whether inputs are rate-limited by what processing keeps up with. */
  public static final ConfigOption<Boolean> BACKPRESSURE_ENABLED =
      new ConfigOption<>(
          "millrace.backpressure.enabled",
          true,
          "Whether each input takes only as many records per batch as processing kept up with,"
              + " estimated from processing and scheduling delay; true or false.",
          StreamingOptions::bool);

  /** The rate each input is held to before backpressure has its first estimate. */
  public static final ConfigOption<Double> BACKPRESSURE_INITIAL_RATE =
      new ConfigOption<>(
          "millrace.backpressure.initial-rate",
          10_000.0,
          "10000",
          "Records per second each input takes until backpressure has measured two batches, so"
              + " the first batch after an outage does not take the whole backlog.",
          StreamingOptions::positiveRate);

  /** A fixed ceiling on how fast a socket receiver reads, whatever backpressure estimates. */
  public static final ConfigOption<Double> RECEIVER_MAX_RATE =
      new ConfigOption<>(
          "millrace.receiver.max-rate",
          Double.POSITIVE_INFINITY,
          UNLIMITED,
          "Most records per second a receiver takes (a socket stream's lines, an application"
              + " receiver's stores); ahead of it, a socket stream stops reading, and TCP slows the"
              + " sender, and store blocks, rather than drop anything; a number or unlimited.",
          text -> text.equals(UNLIMITED) ? Double.POSITIVE_INFINITY : positiveRate(text));

  /** The longest line a socket stream's receiver keeps. */
  public static final ConfigOption<Integer> RECEIVER_MAX_LINE_BYTES =
      new ConfigOption<>(
          "millrace.receiver.max-line-bytes",
          1 << 20,
          "Longest line, in bytes, a socket stream's receiver keeps; a longer one is skipped as it"
              + " streams past (never held in memory), counted in the input's status and logged"
              + " with a WARN naming the input.",
          StreamingOptions::positiveInt);

  /** How often a failed receiver thread is started again before the driver gives up. */
  public static final ConfigOption<Integer> RECEIVER_MAX_RESTARTS =
      new ConfigOption<>(
          "millrace.receiver.max-restarts",
          5,
          "How many times a receiver that failed (an unexpected error, not a lost connection, or"
              + " a Receiver's restart call) is started again within millrace.receiver.restart-window;"
              + " one more failure stops the driver with the error, so its supervisor restarts it.",
          StreamingOptions::nonNegativeInt);

  /** The sliding window {@link #RECEIVER_MAX_RESTARTS} counts failures in. */
  public static final ConfigOption<Duration> RECEIVER_RESTART_WINDOW =
      new ConfigOption<>(
          "millrace.receiver.restart-window",
          Durations.minutes(1),
          "1m",
          "The sliding window in which millrace.receiver.max-restarts counts a receiver's"
              + " failures; older failures do not count.",
          Durations::parse);

  /** A fixed ceiling on how many new files one batch of a file stream takes. */
  public static final ConfigOption<Integer> FILE_MAX_FILES_PER_BATCH =
      new ConfigOption<>(
          "millrace.file.max-files-per-batch",
          Integer.MAX_VALUE,
          UNLIMITED,
          "Most new files one batch of a file stream takes; the rest wait for later batches in"
              + " modification-time order; a number or unlimited.",
          text -> text.equals(UNLIMITED) ? Integer.MAX_VALUE : positiveInt(text));

  /** How often executors heartbeat to the driver. */
  public static final ConfigOption<Duration> EXECUTOR_HEARTBEAT_INTERVAL =
      new ConfigOption<>(
          "millrace.executor.heartbeat-interval",
          Durations.seconds(1),
          "1s",
          "How often an executor tells the driver it is alive.",
          Durations::parse);

  /** After how much silence the driver declares an executor lost. */
  public static final ConfigOption<Duration> EXECUTOR_HEARTBEAT_TIMEOUT =
      new ConfigOption<>(
          "millrace.executor.heartbeat-timeout",
          Durations.seconds(10),
          "10s",
          "After how long without a heartbeat the driver declares an executor lost and fences"
              + " its session; longer than the heartbeat interval.",
          Durations::parse);

  /** How long the driver waits for an executor's answer to one task before it runs it itself. */
  public static final ConfigOption<Duration> EXECUTOR_TASK_TIMEOUT =
      new ConfigOption<>(
          "millrace.executor.task-timeout",
          Durations.seconds(60),
          "60s",
          "How long the driver waits for an executor to answer one map task before it runs the"
              + " task itself and ignores the executor's late answer.",
          Durations::parse);

  /** How many batches the driver's UI and REST API keep, across restarts. */
  public static final ConfigOption<Integer> UI_RETAINED_BATCHES =
      new ConfigOption<>(
          "millrace.ui.retained-batches",
          1000,
          "How many of the newest batches the driver's UI and REST API show, kept in the"
              + " checkpoint directory across restarts; the oldest is dropped first.",
          StreamingOptions::positiveInt);

  /** Every option, for the configuration reference. */
  public static List<ConfigOption<?>> all() {
    return List.of(
        DEFAULT_PARALLELISM,
        GRACEFUL_STOP_TIMEOUT,
        CHECKPOINT_DIR,
        CHECKPOINT_INTERVAL,
        CHECKPOINT_RETAIN,
        CHECKPOINT_LEASE_TIMEOUT,
        COALESCE_DOWNTIME_BATCHES,
        BACKPRESSURE_ENABLED,
        BACKPRESSURE_INITIAL_RATE,
        RECEIVER_MAX_RATE,
        RECEIVER_MAX_LINE_BYTES,
        RECEIVER_MAX_RESTARTS,
        RECEIVER_RESTART_WINDOW,
        FILE_MAX_FILES_PER_BATCH,
        EXECUTOR_HEARTBEAT_INTERVAL,
        EXECUTOR_HEARTBEAT_TIMEOUT,
        EXECUTOR_TASK_TIMEOUT,
        UI_RETAINED_BATCHES);
  }

  /** The prefix of entries passed to the Hadoop file system configuration, prefix removed. */
  public static final String HADOOP_PREFIX = "millrace.hadoop.";

  private static final String PREFIX = "millrace.";

  /**
   * HDFS client settings Millrace uses where the cluster's own configuration ({@code
   * hdfs-site.xml}, {@code core-site.xml}) sets nothing. Closing a file on HDFS waits until the
   * name node has heard from the data nodes; when it has not yet, the client sleeps before asking
   * again, 400 ms at first by Hadoop's default, and a checkpoint generation closes several small
   * files, so one cost 420–830 ms on a MiniDFSCluster (42–54 ms at 20 ms). Asking again after 20 ms
   * and doubling ten times waits up to 20 s in all, more than Hadoop's 12.4 s.
   */
  static final Map<String, String> HDFS_CLIENT_DEFAULTS =
      Map.of(
          "dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "20",
          "dfs.client.block.write.locateFollowingBlock.retries", "10");

  /**
   * Hadoop's configuration as the cluster gives it (the {@code *-site.xml} files on the class path
   * or in {@code HADOOP_CONF_DIR}), with {@link #HDFS_CLIENT_DEFAULTS} where it sets nothing: what
   * every Millrace process opens Hadoop file systems with.
   */
  public static Configuration hadoopConfiguration() {
    // Loads hdfs-default.xml and hdfs-site.xml now, so that a site's own setting is seen below
    // and is not overridden by a value set here before they were read.
    HdfsConfiguration.init();
    Configuration hadoop = new Configuration();
    HDFS_CLIENT_DEFAULTS.forEach(
        (key, value) -> {
          String[] sources = hadoop.getPropertySources(key);
          boolean fromSite =
              sources != null
                  && Arrays.stream(sources).anyMatch(source -> !source.endsWith("-default.xml"));
          if (!fromSite) {
            hadoop.set(key, value, "Millrace's HDFS client defaults");
          }
        });
    return hadoop;
  }

  /**
   * The Hadoop file system configuration of {@code conf}: its {@code millrace.hadoop.<key>} entries
   * as {@code <key>}, over {@link #hadoopConfiguration()}.
   */
  public static Configuration hadoopConfiguration(Map<String, String> conf) {
    Configuration hadoop = hadoopConfiguration();
    conf.forEach(
        (key, value) -> {
          if (key.startsWith(HADOOP_PREFIX)) {
            hadoop.set(key.substring(HADOOP_PREFIX.length()), value);
          }
        });
    return hadoop;
  }

  /**
   * Checks every {@code millrace.*} entry of {@code conf}: its key must name an option (or start
   * with {@code millrace.hadoop.}) and its value must be valid. Entries outside {@code millrace.*}
   * belong to the application and are not checked.
   *
   * @throws IllegalArgumentException naming the first unknown key or invalid entry
   */
  public static void validate(Map<String, String> conf) {
    for (String key : conf.keySet()) {
      if (!key.startsWith(PREFIX) || key.startsWith(HADOOP_PREFIX)) {
        continue;
      }
      ConfigOption<?> option =
          all().stream().filter(o -> o.key().equals(key)).findFirst().orElse(null);
      if (option == null) {
        // A misspelt key would otherwise be ignored silently and its default used.
        throw new ConfigurationException(
            "configuration key "
                + key
                + " is not a Millrace setting; the settings are "
                + all().stream().map(ConfigOption::key).collect(Collectors.joining(", "))
                + ", and "
                + HADOOP_PREFIX
                + "<key> for the Hadoop file system");
      }
      option.read(conf);
    }
  }

  private static Integer positiveInt(String text) {
    int n = Integer.parseInt(text);
    if (n < 1) {
      throw new IllegalArgumentException("must be at least 1");
    }
    return n;
  }

  private static Integer nonNegativeInt(String text) {
    int n = Integer.parseInt(text);
    if (n < 0) {
      throw new IllegalArgumentException("must be 0 or more");
    }
    return n;
  }

  private static Boolean bool(String text) {
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException("must be true or false");
  }

  private static Double positiveRate(String text) {
    double rate = Double.parseDouble(text);
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("must be a positive number of records per second");
    }
    return rate;
  }
}
