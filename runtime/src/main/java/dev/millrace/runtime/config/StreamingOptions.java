package dev.millrace.runtime.config;

import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import java.util.List;

/** The engine's settings, passed as {@code conf} entries of a context or an application spec. */
public final class StreamingOptions {
  private StreamingOptions() {}

  /** Partitions of shuffles (reduceByKey, join, state) when the operation names none. */
  public static final ConfigOption<Integer> DEFAULT_PARALLELISM =
      new ConfigOption<>(
          "millrace.default.parallelism",
          null,
          "Partitions of keyed operations that do not name a count; defaults to the N of local[N].",
          StreamingOptions::positiveInt);

  /** How long a graceful stop may take before processing is interrupted. */
  public static final ConfigOption<Duration> GRACEFUL_STOP_TIMEOUT =
      new ConfigOption<>(
          "millrace.stop.graceful-timeout",
          Durations.seconds(30),
          "How long stop(true) or SIGTERM waits for queued batches before interrupting them.",
          Durations::parse);

  /** Where checkpoints go when the code does not call {@code ssc.checkpoint(dir)}. */
  public static final ConfigOption<String> CHECKPOINT_DIR =
      new ConfigOption<>(
          "millrace.checkpoint.dir",
          null,
          "Checkpoint directory (file://, hdfs://, s3a:// or a local path); an application with one"
              + " resumes from it after a restart. ssc.checkpoint(dir) takes precedence.",
          text -> text);

  /** How often state is checkpointed; default ten batch intervals. */
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      new ConfigOption<>(
          "millrace.checkpoint.interval",
          null,
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

  /** Whether batches missed while the driver was down run as one batch. */
  public static final ConfigOption<Boolean> COALESCE_DOWNTIME_BATCHES =
      new ConfigOption<>(
          "millrace.recovery.coalesce-downtime-batches",
          false,
          "After a restart, run the batches missed while the driver was down as one batch instead"
              + " of one per interval. Only for graphs without windows or updateStateByKey.",
          StreamingOptions::bool);

  /** Every option, for the configuration reference. */
  public static List<ConfigOption<?>> all() {
    return List.of(
        DEFAULT_PARALLELISM,
        GRACEFUL_STOP_TIMEOUT,
        CHECKPOINT_DIR,
        CHECKPOINT_INTERVAL,
        CHECKPOINT_RETAIN,
        COALESCE_DOWNTIME_BATCHES);
  }

  /** The prefix of entries passed to the Hadoop file system configuration, prefix removed. */
  public static final String HADOOP_PREFIX = "millrace.hadoop.";

  private static Boolean bool(String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static Integer positiveInt(String text) {
    int n = Integer.parseInt(text);
    if (n < 1) {
      throw new IllegalArgumentException("must be at least 1");
    }
    return n;
  }
}
