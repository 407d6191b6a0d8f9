package dev.millrace.operator;

import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.operator.monitoring.MonitoringServer;
import dev.millrace.operator.monitoring.OperatorMetrics;
import dev.millrace.operator.observer.AppObserver;
import dev.millrace.operator.observer.HttpDriverStatusSource;
import dev.millrace.operator.reconciler.StreamingAppReconciler;
import dev.millrace.operator.service.ClusterService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's composition root: reads its settings, wires the objects with plain constructors,
 * and runs until the JVM is stopped.
 *
 * <p>Settings: {@value WatchedNamespaces#ENV} (comma-separated namespaces, empty for all) or the
 * flag {@code --namespaces a,b}; {@value #LEADER_ELECTION_ENV}, the namespace of the Lease {@value
 * #LEASE_NAME} that replicas elect a leader with (unset: no election; each replica's identity is
 * its {@code HOSTNAME}, the pod name); {@value #MONITORING_PORT_ENV}, the port of the health probes
 * and metrics ({@link MonitoringServer}, default {@value MonitoringServer#DEFAULT_PORT}). The
 * Kubernetes connection is fabric8's usual one (in-cluster service account, or {@code
 * ~/.kube/config}).
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  /** The environment variable naming the namespace of the leader-election Lease. */
  static final String LEADER_ELECTION_ENV = "MILLRACE_LEADER_ELECTION_NAMESPACE";

  /**
   * The environment variable naming the port of {@code /healthz}, {@code /readyz}, {@code
   * /metrics}.
   */
  static final String MONITORING_PORT_ENV = "MILLRACE_MONITORING_PORT";

  /** The leader-election Lease's name. */
  static final String LEASE_NAME = "millrace-operator";

  /** How often a live driver's status endpoint is read. */
  static final Duration STATUS_POLL_INTERVAL = Duration.ofSeconds(10);

  private OperatorMain() {}

  /** Starts the operator; {@code --namespaces a,b} overrides {@value WatchedNamespaces#ENV}. */
  public static void main(String[] args) {
    WatchedNamespaces namespaces = WatchedNamespaces.parse(namespacesSetting(args));
    int monitoringPort = monitoringPort(System.getenv(MONITORING_PORT_ENV));
    Clock clock = Clock.systemUTC();
    KubernetesClient client = new KubernetesClientBuilder().build();
    ClusterService cluster = new ClusterService(client, clock);
    AppObserver observer =
        new AppObserver(cluster, new HttpDriverStatusSource(new DriverStatusClient()));
    OperatorMetrics metrics = new OperatorMetrics();
    StreamingAppReconciler reconciler =
        new StreamingAppReconciler(observer, cluster, clock, STATUS_POLL_INTERVAL, metrics);
    String leaseNamespace = System.getenv(LEADER_ELECTION_ENV);
    Optional<LeaderElectionConfiguration> leaderElection =
        leaseNamespace == null || leaseNamespace.isBlank()
            ? Optional.empty()
            : Optional.of(new LeaderElectionConfiguration(LEASE_NAME, leaseNamespace));
    Operator operator =
        OperatorConfiguration.create(client, reconciler, namespaces, metrics, leaderElection);
    // Serving before the operator starts: the kubelet sees a live process that is not ready yet.
    MonitoringServer monitoring = new MonitoringServer(monitoringPort, operator, metrics);
    monitoring.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.stop();
                  monitoring.close();
                  client.close();
                },
                "millrace-operator-shutdown"));
    LOG.info(
        "millrace operator starting; watching {}; {}; probes and metrics on port {}",
        namespaces.isAll() ? "all namespaces" : "namespaces " + namespaces.names(),
        leaderElection.isPresent()
            ? "leader election with Lease " + leaseNamespace + "/" + LEASE_NAME
            : "no leader election",
        monitoring.port());
    try {
      operator.start();
    } catch (RuntimeException e) {
      // The monitoring server's thread would keep a JVM whose operator never started alive,
      // answering /healthz; exit instead, so the kubelet restarts the container.
      LOG.error("millrace operator failed to start; exiting", e);
      System.exit(1);
    }
  }

  private static int monitoringPort(String setting) {
    if (setting == null || setting.isBlank()) {
      return MonitoringServer.DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(setting.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Reported below with the value.
    }
    throw new IllegalArgumentException(
        MONITORING_PORT_ENV
            + " is '"
            + setting
            + "', which is no TCP port; set a number from 1 to 65535, or leave it unset for "
            + MonitoringServer.DEFAULT_PORT);
  }

  private static String namespacesSetting(String[] args) {
    if (args.length == 0) {
      return System.getenv(WatchedNamespaces.ENV);
    }
    if (args.length == 2 && args[0].equals("--namespaces")) {
      return args[1];
    }
    throw new IllegalArgumentException(
        "unexpected arguments "
            + String.join(" ", args)
            + "; the only option is --namespaces a,b (or set "
            + WatchedNamespaces.ENV
            + ")");
  }
}
