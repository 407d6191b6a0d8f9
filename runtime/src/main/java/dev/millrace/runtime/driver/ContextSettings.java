package dev.millrace.runtime.driver;

import dev.millrace.crds.CheckpointSpec;
import dev.millrace.crds.SpecDurations;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.runtime.config.ConfigOption;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StreamingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The streaming context a spec asks for: {@code local[driver.cores]}, named after the app, its
 * batch interval, and {@code application.conf} with the spec's checkpoint and stop settings added
 * as the options they stand for. A spec field and a conf entry for the same option must agree.
 *
 * @param master {@code local[N]}
 * @param appName the app's {@code metadata.name}
 * @param batchInterval the batch interval
 * @param conf the engine configuration
 * @param checkpointDir where every attempt checkpoints and resumes from
 */
record ContextSettings(
    String master,
    String appName,
    Duration batchInterval,
    Map<String, String> conf,
    String checkpointDir) {

  ContextSettings {
    conf = Map.copyOf(conf);
  }

  /**
   * The settings of {@code app}.
   *
   * @throws DriverConfigurationException naming the field that is missing or invalid
   */
  static ContextSettings of(StreamingApp app) {
    String name = app.getMetadata() == null ? null : app.getMetadata().getName();
    if (name == null || name.isBlank()) {
      throw new DriverConfigurationException(
          "the spec has no metadata.name; it names the application's logs, threads and status");
    }
    StreamingAppSpec spec = app.getSpec();
    int cores =
        spec.getDriver() == null ? 1 : Objects.requireNonNullElse(spec.getDriver().getCores(), 1);
    if (cores < 1) {
      throw new DriverConfigurationException(
          "spec.driver.cores is " + cores + "; the driver needs at least 1 core for its tasks");
    }
    CheckpointSpec checkpoint = spec.getCheckpoint();
    if (checkpoint == null || checkpoint.getDir() == null || checkpoint.getDir().isBlank()) {
      throw new DriverConfigurationException(
          "spec.checkpoint.dir is required: every driver attempt resumes from it. Give a"
              + " file://, hdfs:// or s3a:// URI.");
    }

    Map<String, String> conf = new LinkedHashMap<>();
    Map<String, String> given =
        spec.getApplication() == null ? null : spec.getApplication().getConf();
    if (given != null) {
      given.forEach(
          (key, value) -> {
            if (value == null) {
              throw new DriverConfigurationException(
                  "spec.application.conf." + key + " has no value; give one or remove the entry");
            }
            conf.put(key, value);
          });
    }
    put(conf, StreamingOptions.CHECKPOINT_DIR, checkpoint.getDir(), "spec.checkpoint.dir");
    if (checkpoint.getInterval() != null) {
      put(
          conf,
          StreamingOptions.CHECKPOINT_INTERVAL,
          millis(checkpoint.getInterval(), "spec.checkpoint.interval") + "ms",
          "spec.checkpoint.interval");
    }
    if (checkpoint.getRetain() != null) {
      put(
          conf,
          StreamingOptions.CHECKPOINT_RETAIN,
          checkpoint.getRetain().toString(),
          "spec.checkpoint.retain");
    }
    if (spec.getGracefulStopTimeout() != null) {
      put(
          conf,
          StreamingOptions.GRACEFUL_STOP_TIMEOUT,
          millis(spec.getGracefulStopTimeout(), "spec.gracefulStopTimeout") + "ms",
          "spec.gracefulStopTimeout");
    }
    if (spec.getBatchInterval() == null) {
      throw new DriverConfigurationException("spec.batchInterval is required, e.g. 1s or 200ms");
    }
    Duration interval =
        Durations.milliseconds(millis(spec.getBatchInterval(), "spec.batchInterval"));
    return new ContextSettings("local[" + cores + "]", name, interval, conf, checkpoint.getDir());
  }

  /**
   * A new context of these settings.
   *
   * @throws DriverConfigurationException if the engine refuses a setting, e.g. an unknown {@code
   *     millrace.*} key of {@code application.conf}
   */
  StreamingContext newContext() {
    try {
      return StreamingContext.builder()
          .master(master)
          .appName(appName)
          .batchInterval(batchInterval)
          .conf(conf)
          .build();
    } catch (IllegalArgumentException e) {
      throw new DriverConfigurationException(e.getMessage(), e);
    }
  }

  /**
   * Sets {@code option} to the value of spec field {@code field}; an entry of {@code
   * application.conf} for the same option must mean the same.
   */
  private static void put(
      Map<String, String> conf, ConfigOption<?> option, String value, String field) {
    String set = conf.get(option.key());
    if (set != null
        && !Objects.equals(
            option.read(Map.of(option.key(), set)), option.read(Map.of(option.key(), value)))) {
      throw new DriverConfigurationException(
          "spec.application.conf sets "
              + option.key()
              + "="
              + set
              + ", but "
              + field
              + " says otherwise; set it in "
              + field
              + " only");
    }
    conf.put(option.key(), value);
  }

  private static long millis(String duration, String field) {
    try {
      return SpecDurations.parse(duration).toMillis();
    } catch (IllegalArgumentException e) {
      throw new DriverConfigurationException(field + ": " + e.getMessage(), e);
    }
  }
}
