package dev.millrace.operator;

import dev.millrace.crds.launch.DriverStatusClient;
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
 * its {@code HOSTNAME}, the pod name). The Kubernetes connection is fabric8's usual one (in-cluster
 * service account, or {@code ~/.kube/config}).
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  /** The environment variable naming the namespace of the leader-election Lease. */
  static final String LEADER_ELECTION_ENV = "MILLRACE_LEADER_ELECTION_NAMESPACE";

  /** The leader-election Lease's name. */
  static final String LEASE_NAME = "millrace-operator";

  /** How often a live driver's status endpoint is read. */
  static final Duration STATUS_POLL_INTERVAL = Duration.ofSeconds(10);

  private OperatorMain() {}

  /** Starts the operator; {@code --namespaces a,b} overrides {@value WatchedNamespaces#ENV}. */
  public static void main(String[] args) {
    WatchedNamespaces namespaces = WatchedNamespaces.parse(namespacesSetting(args));
    Clock clock = Clock.systemUTC();
    KubernetesClient client = new KubernetesClientBuilder().build();
    ClusterService cluster = new ClusterService(client, clock);
    AppObserver observer =
        new AppObserver(cluster, new HttpDriverStatusSource(new DriverStatusClient()));
    StreamingAppReconciler reconciler =
        new StreamingAppReconciler(observer, cluster, clock, STATUS_POLL_INTERVAL);
    String leaseNamespace = System.getenv(LEADER_ELECTION_ENV);
    Optional<LeaderElectionConfiguration> leaderElection =
        leaseNamespace == null || leaseNamespace.isBlank()
            ? Optional.empty()
            : Optional.of(new LeaderElectionConfiguration(LEASE_NAME, leaseNamespace));
    Operator operator =
        OperatorConfiguration.create(client, reconciler, namespaces, leaderElection);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.stop();
                  client.close();
                },
                "millrace-operator-shutdown"));
    LOG.info(
        "millrace operator starting; watching {}; {}",
        namespaces.isAll() ? "all namespaces" : "namespaces " + namespaces.names(),
        leaderElection.isPresent()
            ? "leader election with Lease " + leaseNamespace + "/" + LEASE_NAME
            : "no leader election");
    operator.start();
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
