package dev.millrace.operator;

import dev.millrace.crds.StreamingApp;
import dev.millrace.operator.monitoring.OperatorMetrics;
import dev.millrace.operator.reconciler.StreamingAppReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.Optional;

/**
 * The one place an {@link Operator} is configured, used by {@link OperatorMain} and by the tests
 * alike, so that what the tests prove is what runs.
 *
 * <p>Server-side apply is off for the primary resource and for dependents: status is written with a
 * plain update under optimistic locking (which is what "status before acting" needs), and the
 * fabric8 mock server the tests run against cannot apply.
 */
public final class OperatorConfiguration {
  /**
   * A failed reconcile (a conflict on the status, an API error) runs again after 0.5 s, then ever
   * more slowly up to a minute; it never gives up, so an application is never left unsupervised.
   */
  static final GenericRetry RETRY =
      new GenericRetry()
          .setInitialInterval(500)
          .setIntervalMultiplier(2)
          .setMaxInterval(Duration.ofMinutes(1).toMillis())
          .setMaxAttempts(Integer.MAX_VALUE);

  private OperatorConfiguration() {}

  /**
   * An operator on {@code client} running {@code reconciler} for the StreamingApps in {@code
   * namespaces}; not started.
   *
   * @param metrics receives JOSDK's reconcile timings and outcomes
   * @param leaderElection when present, only the replica holding the Lease reconciles; the others
   *     wait to take over. Supervision does not depend on it (status written before acting keeps a
   *     second replica from launching a second driver); it spares the cluster duplicate work.
   */
  public static Operator create(
      KubernetesClient client,
      StreamingAppReconciler reconciler,
      WatchedNamespaces namespaces,
      OperatorMetrics metrics,
      Optional<LeaderElectionConfiguration> leaderElection) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withMetrics(metrics);
              leaderElection.ifPresent(o::withLeaderElectionConfiguration);
            });
    operator.<StreamingApp>register(
        reconciler,
        c -> {
          c.withRetry(RETRY);
          if (namespaces.isAll()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(namespaces.names());
          }
        });
    return operator;
  }
}
