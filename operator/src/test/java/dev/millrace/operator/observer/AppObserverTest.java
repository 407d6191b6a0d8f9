package dev.millrace.operator.observer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.crds.supervision.SupervisorSnapshot;
import dev.millrace.operator.TestingApps;
import dev.millrace.operator.TestingCluster;
import dev.millrace.operator.resource.AppPods;
import dev.millrace.operator.service.ClusterService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppObserverTest {
  @Test
  void driverMissingFromTheCacheIsLookedUpLiveBeforeItCountsAsGone() {
    try (TestingCluster cluster = new TestingCluster()) {
      StreamingApp app = TestingApps.app("lagging", 1);
      AppObserver observer =
          new AppObserver(
              new ClusterService(cluster.client(), Clock.systemUTC()), cluster.driverStatus);
      Optional<SupervisorSnapshot> launched = Optional.of(launchedAttemptOne(app));

      assertTrue(observer.observe(app, List.of(), launched).driver().isEmpty());

      cluster.client().resource(AppPods.driver(app, 1, false)).create();
      cluster.client().resource(AppPods.executor(app, "exec-1")).create();
      AppObservation seen = observer.observe(app, List.of(), launched);
      assertEquals("lagging-driver-1", seen.driver().orElseThrow().getMetadata().getName());
      assertEquals("lagging-exec-1", seen.executors().get("exec-1").getMetadata().getName());
    }
  }

  @Test
  void runningDriverIsPolledForItsStatus() {
    try (TestingCluster cluster = new TestingCluster()) {
      StreamingApp app = TestingApps.app("polled", 0);
      AppObserver observer =
          new AppObserver(
              new ClusterService(cluster.client(), Clock.systemUTC()), cluster.driverStatus);
      cluster.client().resource(AppPods.driver(app, 1, false)).create();
      cluster.driverStatus.completedBatch("polled", "polled-driver-1", 1, 7_000);
      Optional<SupervisorSnapshot> launched = Optional.of(launchedAttemptOne(app));

      assertTrue(observer.observe(app, List.of(), launched).report().isEmpty(), "not running yet");
      cluster.run(TestingApps.NAMESPACE, "polled-driver-1");
      assertEquals(
          7_000L,
          observer
              .observe(app, List.of(), launched)
              .report()
              .orElseThrow()
              .lastCompletedBatchTimeMs());
    }
  }

  @Test
  void endedExecutorInTheCacheIsReadLiveSoItsNextRunIsNotTakenForIt() {
    try (TestingCluster cluster = new TestingCluster()) {
      StreamingApp app = TestingApps.app("rerun", 1);
      AppObserver observer =
          new AppObserver(
              new ClusterService(cluster.client(), Clock.systemUTC()), cluster.driverStatus);
      Pod endedRun = AppPods.executor(app, "exec-1");
      endedRun.setStatus(new PodStatusBuilder().withPhase("Failed").build());
      Optional<SupervisorSnapshot> launched = Optional.of(launchedAttemptOne(app));

      assertTrue(
          observer.observe(app, List.of(endedRun), launched).executors().isEmpty(),
          "deleted meanwhile");
      cluster.client().resource(AppPods.executor(app, "exec-1")).create();
      assertInstanceOf(
          PodOutcome.NotStarted.class,
          PodOutcome.of(
              observer.observe(app, List.of(endedRun), launched).executors().get("exec-1")));
    }
  }

  private static SupervisorSnapshot launchedAttemptOne(StreamingApp app) {
    Supervisor supervisor = new Supervisor(SupervisorPolicy.from(app.getSpec()));
    supervisor.on(new Tick(Instant.parse("2026-01-01T00:00:00Z")));
    return supervisor.snapshot();
  }
}
