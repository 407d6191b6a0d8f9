package dev.millrace.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.supervision.DriverAttemptState;
import dev.millrace.operator.TestingApps;
import dev.millrace.operator.observer.AppObservation;
import dev.millrace.operator.reconciler.Decision.PodDeletion;
import dev.millrace.operator.resource.AppPods;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SupervisionStepTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration POLL = Duration.ofSeconds(10);

  @Test
  void firstReconcileRemembersAttemptOneAndCreatesItsDriverAndExecutors() {
    StreamingApp app = TestingApps.app("wc", 2);
    Decision decision = SupervisionStep.decide(app, nothing(), T0, POLL);
    assertEquals(1, decision.status().getDriver().getAttempt());
    assertEquals(Phase.Starting, decision.status().getPhase());
    assertEquals(DriverAttemptState.LAUNCHING, snapshotOf(decision).driverState());
    assertEquals(List.of("wc-driver-1", "wc-exec-1", "wc-exec-2"), names(decision.creations()));
  }

  @Test
  void aLaunchLostInAnOperatorCrashIsCarriedOutAgainAsTheSameAttempt() {
    StreamingApp app = TestingApps.app("wc", 0);
    app.setStatus(SupervisionStep.decide(app, nothing(), T0, POLL).status());
    Decision again = SupervisionStep.decide(app, nothing(), T0.plusSeconds(3), POLL);
    assertEquals(List.of("wc-driver-1"), names(again.creations()));
    assertEquals(1, again.status().getDriver().getAttempt());
  }

  @Test
  void aLaunchedDriverThatIsThereIsNotCreatedAgain() {
    StreamingApp app = TestingApps.app("wc", 0);
    app.setStatus(SupervisionStep.decide(app, nothing(), T0, POLL).status());
    Decision again =
        SupervisionStep.decide(app, driver(AppPods.driver(app, 1, false)), T0.plusSeconds(1), POLL);
    assertEquals(List.of(), again.creations());
  }

  @Test
  void aRunningDriverWhosePodIsGoneIsRestartedAfterABackoffAndNotCounted() {
    StreamingApp app = TestingApps.app("wc", 0);
    app.setStatus(SupervisionStep.decide(app, nothing(), T0, POLL).status());
    app.setStatus(
        SupervisionStep.decide(
                app, driver(running(AppPods.driver(app, 1, false))), T0.plusSeconds(1), POLL)
            .status());

    Decision gone = SupervisionStep.decide(app, nothing(), T0.plusSeconds(2), POLL);

    assertEquals(Phase.Restarting, gone.status().getPhase());
    assertEquals(List.of(), gone.creations());
    assertEquals("Deleted", gone.status().getDriver().getLastExit().getReason());
    assertEquals(0, gone.status().getRestarts().getInWindow());
    assertEquals(Optional.of(Duration.ofMillis(200)), gone.requeueAfter());
  }

  @Test
  void aSuspendDeletesTheDriverGracefullyAndKeepsTheExecutorsUntilItHasExited() {
    StreamingApp app = TestingApps.app("wc", 1);
    app.setStatus(SupervisionStep.decide(app, nothing(), T0, POLL).status());
    Pod driver = running(AppPods.driver(app, 1, false));
    Pod executor = running(AppPods.executor(app, "exec-1"));
    AppObservation seen =
        new AppObservation(
            Optional.of(driver), Map.of("exec-1", executor), List.of(), Optional.empty());
    app.setStatus(SupervisionStep.decide(app, seen, T0.plusSeconds(1), POLL).status());
    app.getSpec().setSuspend(true);

    Decision suspend = SupervisionStep.decide(app, seen, T0.plusSeconds(2), POLL);

    assertEquals(Phase.Suspending, suspend.status().getPhase());
    assertEquals(List.of(new PodDeletion(driver, Duration.ofSeconds(32))), suspend.deletions());
  }

  @Test
  void anAppFirstSeenSuspendedLaunchesNothing() {
    StreamingApp app = TestingApps.app("wc", 2);
    app.getSpec().setSuspend(true);
    Decision decision = SupervisionStep.decide(app, nothing(), T0, POLL);
    assertEquals(Phase.Suspended, decision.status().getPhase());
    assertTrue(decision.creations().isEmpty());
  }

  @Test
  void aDriverWhoseImageCannotBePulledFailsTheAppAndItsPodIsDeleted() {
    StreamingApp app = TestingApps.app("wc", 0);
    app.setStatus(SupervisionStep.decide(app, nothing(), T0, POLL).status());
    Pod pulling =
        inState(
            AppPods.driver(app, 1, false),
            "Pending",
            new ContainerStateBuilder()
                .withNewWaiting()
                .withReason("ImagePullBackOff")
                .endWaiting()
                .build());

    Decision decision = SupervisionStep.decide(app, driver(pulling), T0.plusSeconds(5), POLL);

    assertEquals(Phase.Failed, decision.status().getPhase());
    assertEquals("ImagePullBackOff", decision.status().getDriver().getLastExit().getReason());
    assertEquals(List.of(new PodDeletion(pulling, Duration.ZERO)), decision.deletions());
    assertTrue(decision.creations().isEmpty());
  }

  @Test
  void aCrashedDriverPodIsKeptForItsLogs() {
    StreamingApp app = TestingApps.app("wc", 0);
    app.setStatus(SupervisionStep.decide(app, nothing(), T0, POLL).status());
    Pod crashed =
        inState(
            AppPods.driver(app, 1, false),
            "Failed",
            new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(78)
                .endTerminated()
                .build());

    Decision decision = SupervisionStep.decide(app, driver(crashed), T0.plusSeconds(5), POLL);

    assertEquals(Phase.Failed, decision.status().getPhase());
    assertTrue(decision.deletions().isEmpty());
  }

  private static dev.millrace.crds.supervision.SupervisorSnapshot snapshotOf(Decision decision) {
    return AppMemory.of(decision.status()).snapshot().orElseThrow();
  }

  private static AppObservation nothing() {
    return new AppObservation(Optional.empty(), Map.of(), List.of(), Optional.empty());
  }

  private static AppObservation driver(Pod pod) {
    return new AppObservation(Optional.of(pod), Map.of(), List.of(), Optional.empty());
  }

  private static Pod running(Pod pod) {
    return inState(
        pod, "Running", new ContainerStateBuilder().withNewRunning().endRunning().build());
  }

  /** {@code pod} in {@code phase}, its main container in {@code state}. */
  private static Pod inState(Pod pod, String phase, ContainerState state) {
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase(phase)
            .withContainerStatuses(
                new ContainerStatusBuilder().withName("millrace").withState(state).build())
            .build());
    return pod;
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }
}
