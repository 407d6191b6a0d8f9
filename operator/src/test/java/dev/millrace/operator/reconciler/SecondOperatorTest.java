package dev.millrace.operator.reconciler;

import static dev.millrace.operator.TestingApps.NAMESPACE;
import static dev.millrace.operator.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.operator.TestingApps;
import dev.millrace.operator.TestingCluster;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator restarted, or a second replica started, while an application runs: it continues from
 * the status instead of launching another driver.
 */
class SecondOperatorTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void aSecondOperatorStartedMidFlightLaunchesNoDuplicateDriver() {
    try (TestingCluster cluster = new TestingCluster()) {
      cluster.startOperator();
      cluster.client().resource(TestingApps.app("twice", 1)).create();
      await("driver 1", WAIT, () -> cluster.pod(NAMESPACE, "twice-driver-1").isPresent());
      cluster.run(NAMESPACE, "twice-driver-1");
      cluster.driverStatus.completedBatch("twice", "twice-driver-1", 1, 1_000);
      await("phase Running", WAIT, () -> phase(cluster) == Phase.Running);

      cluster.startOperator();
      cluster.exit(NAMESPACE, "twice-driver-1", 1);
      await("driver 2", WAIT, () -> cluster.pod(NAMESPACE, "twice-driver-2").isPresent());
      cluster.run(NAMESPACE, "twice-driver-2");
      cluster.driverStatus.completedBatch("twice", "twice-driver-2", 2, 2_000);
      await("phase Running again", WAIT, () -> phase(cluster) == Phase.Running);

      assertEquals(List.of("twice-driver-1", "twice-driver-2"), driverPods(cluster));
      assertEquals(2, status(cluster).getDriver().getAttempt());
      assertEquals(List.of("twice-exec-1"), executorPods(cluster));
    }
  }

  @Test
  void aRestartedOperatorContinuesTheRunningAttempt() {
    try (TestingCluster cluster = new TestingCluster()) {
      Operator first = cluster.startOperator();
      cluster.client().resource(TestingApps.app("twice", 2)).create();
      await("executor 2", WAIT, () -> cluster.pod(NAMESPACE, "twice-exec-2").isPresent());
      cluster.run(NAMESPACE, "twice-driver-1");
      cluster.run(NAMESPACE, "twice-exec-1");
      await("phase Starting", WAIT, () -> phase(cluster) == Phase.Starting);
      String driverUid =
          cluster.pod(NAMESPACE, "twice-driver-1").orElseThrow().getMetadata().getUid();
      first.stop();

      cluster.startOperator();
      cluster.driverStatus.completedBatch("twice", "twice-driver-1", 1, 1_000);
      await("phase Running", WAIT, () -> phase(cluster) == Phase.Running);

      assertEquals(
          driverUid, cluster.pod(NAMESPACE, "twice-driver-1").orElseThrow().getMetadata().getUid());
      assertEquals(List.of("twice-driver-1"), driverPods(cluster));
      assertEquals(List.of("twice-exec-1", "twice-exec-2"), executorPods(cluster));
      assertEquals(1, status(cluster).getDriver().getAttempt());
    }
  }

  private static StreamingApp app(TestingCluster cluster) {
    return cluster
        .client()
        .resources(StreamingApp.class)
        .inNamespace(NAMESPACE)
        .withName("twice")
        .get();
  }

  private static dev.millrace.crds.StreamingAppStatus status(TestingCluster cluster) {
    return app(cluster).getStatus();
  }

  private static Phase phase(TestingCluster cluster) {
    StreamingApp app = app(cluster);
    return app.getStatus() == null ? null : app.getStatus().getPhase();
  }

  private static List<String> driverPods(TestingCluster cluster) {
    return podsWithRole(cluster, "driver");
  }

  private static List<String> executorPods(TestingCluster cluster) {
    return podsWithRole(cluster, "executor");
  }

  private static List<String> podsWithRole(TestingCluster cluster, String role) {
    return cluster
        .client()
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("millrace.dev/role", role)
        .list()
        .getItems()
        .stream()
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }
}
