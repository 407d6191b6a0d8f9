package dev.millrace.runtime.config;

import dev.millrace.crds.launch.EnvironmentVariable;
import dev.millrace.runtime.logs.LogLimits;
import dev.millrace.runtime.logs.LogSettings;
import java.util.List;

/**
 * The environment variables a driver or executor process reads, set per role in {@code
 * spec.driver.env} and {@code spec.executor.env}, whichever backend starts it.
 */
public final class ContainerEnvironment {
  private ContainerEnvironment() {}

  /** The size at which a process's log file is rolled ({@link LogLimits}). */
  public static final EnvironmentVariable LOG_FILE_SIZE =
      new EnvironmentVariable(
          LogLimits.FILE_SIZE_VARIABLE,
          LogLimits.DEFAULT_FILE_SIZE,
          "A log file is rolled (renamed ….log.00001, .00002, …) when it reaches this size, where"
              + " a backend keeps a process's logs in files (millrace run, YARN containers).");

  /** How many rolled files of each log are kept ({@link LogLimits}). */
  public static final EnvironmentVariable LOG_FILES =
      new EnvironmentVariable(
          LogLimits.FILES_VARIABLE,
          String.valueOf(LogLimits.DEFAULT_FILES),
          "How many rolled files of each log are kept.");

  /** The level of each named logger ({@link LogSettings}). */
  public static final EnvironmentVariable LOG_LEVELS =
      new EnvironmentVariable(
          LogSettings.LEVELS_VARIABLE,
          "dev.millrace=info,root=warn",
          "Log levels per logger over the configuration's, e.g."
              + " dev.millrace.runtime.scheduler=debug,org.apache.kafka=warn (root: the root"
              + " logger); -Dmillrace.log.levels in MILLRACE_JAVA_OPTS does the same.");

  /** The format of the log lines ({@link LogSettings}). */
  public static final EnvironmentVariable LOG_FORMAT =
      new EnvironmentVariable(
          LogSettings.FORMAT_VARIABLE,
          "text",
          "json writes each log line as one JSON object (time, level, logger, thread, message,"
              + " exception, app) for a log pipeline; text for people.");

  /** The port of an executor's Prometheus metrics ({@code --metrics-port} takes precedence). */
  public static final EnvironmentVariable METRICS_PORT =
      new EnvironmentVariable(
          "MILLRACE_METRICS_PORT",
          "0 on YARN, 4040 on Kubernetes, else unset: no metrics",
          "The port an executor serves Prometheus metrics on (GET /metrics, every interface; 0 for"
              + " a free one, which its log names). The operator sets 4040 on executor pods, where"
              + " the pods' prometheus.io annotations point; the YARN ApplicationMaster sets 0, as"
              + " executors there share hosts; under millrace run executors listen on nothing"
              + " unless spec.executor.env names a port. An executor's --metrics-port flag takes"
              + " precedence.");

  /** Every variable a driver or executor reads, for the configuration reference. */
  public static List<EnvironmentVariable> all() {
    return List.of(LOG_FILE_SIZE, LOG_FILES, LOG_LEVELS, LOG_FORMAT, METRICS_PORT);
  }
}
