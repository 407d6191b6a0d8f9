package dev.millrace.operator.reconciler;

import static dev.millrace.operator.TestingApps.NAMESPACE;
import static dev.millrace.operator.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.operator.TestingApps;
import dev.millrace.operator.TestingCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two replicas electing a leader: one supervises; when it stops, the other takes over. */
class LeaderElectionTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void theStandbyReplicaTakesOverSupervisionWhenTheLeaderStops() {
    try (TestingCluster cluster = new TestingCluster()) {
      Operator leader = cluster.startElectingOperator("operator-a");
      await("operator-a leads", WAIT, () -> "operator-a".equals(holder(cluster)));
      cluster.startElectingOperator("operator-b");
      cluster.client().resource(TestingApps.app("led", 0)).create();
      await("driver 1", WAIT, () -> cluster.pod(NAMESPACE, "led-driver-1").isPresent());
      cluster.run(NAMESPACE, "led-driver-1");
      assertEquals("operator-a", holder(cluster));

      leader.stop();
      await("operator-b leads", WAIT, () -> "operator-b".equals(holder(cluster)));
      cluster.exit(NAMESPACE, "led-driver-1", 1);
      await("driver 2", WAIT, () -> cluster.pod(NAMESPACE, "led-driver-2").isPresent());
    }
  }

  private static String holder(TestingCluster cluster) {
    Lease lease =
        cluster.client().leases().inNamespace(NAMESPACE).withName("millrace-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
