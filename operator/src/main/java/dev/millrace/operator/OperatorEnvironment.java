package dev.millrace.operator;

import dev.millrace.crds.launch.EnvironmentVariable;
import dev.millrace.operator.monitoring.MonitoringServer;
import java.util.List;

/**
 * The environment variables the operator reads (its Deployment, the Helm chart, sets them): their
 * names, defaults and descriptions in one place, for {@link OperatorMain} and the configuration
 * reference.
 */
public final class OperatorEnvironment {
  private OperatorEnvironment() {}

  /** The namespaces whose StreamingApps the operator runs. */
  public static final EnvironmentVariable WATCH_NAMESPACES =
      new EnvironmentVariable(
          WatchedNamespaces.ENV,
          "all namespaces",
          "Comma-separated namespaces whose StreamingApps the operator runs; empty or * for all."
              + " The flag --namespaces a,b takes precedence.");

  /** The namespace of the leader-election Lease. */
  public static final EnvironmentVariable LEADER_ELECTION_NAMESPACE =
      new EnvironmentVariable(
          OperatorMain.LEADER_ELECTION_ENV,
          "none: no leader election",
          "The namespace of the Lease "
              + OperatorMain.LEASE_NAME
              + " that replicas elect a"
              + " leader with (each identified by its HOSTNAME, the pod name); unset runs without"
              + " leader election, for one replica.");

  /** The port of the operator's probes and metrics. */
  public static final EnvironmentVariable MONITORING_PORT =
      new EnvironmentVariable(
          OperatorMain.MONITORING_PORT_ENV,
          String.valueOf(MonitoringServer.DEFAULT_PORT),
          "The port of /healthz, /readyz and /metrics, a number from 1 to 65535.");

  /** The level of the operator's own loggers (src/main/resources/log4j2.xml reads it). */
  public static final EnvironmentVariable LOG_LEVEL =
      new EnvironmentVariable(
          "MILLRACE_LOG_LEVEL",
          "info",
          "The level of the operator's dev.millrace loggers (error, warn, info, debug, trace);"
              + " other libraries log at warn.");

  /** The format of the operator's log lines (src/main/resources/log4j2.xml reads it). */
  public static final EnvironmentVariable LOG_FORMAT =
      new EnvironmentVariable(
          "MILLRACE_LOG_FORMAT",
          "text",
          "json writes each log line as one JSON object (time, level, logger, thread, message,"
              + " exception, app) for a log pipeline; text for people.");

  /** Every variable the operator reads, for the configuration reference. */
  public static List<EnvironmentVariable> all() {
    return List.of(
        WATCH_NAMESPACES, LEADER_ELECTION_NAMESPACE, MONITORING_PORT, LOG_LEVEL, LOG_FORMAT);
  }
}
