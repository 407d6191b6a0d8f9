package dev.millrace.operator.observer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Test;

class PodOutcomeTest {
  @Test
  void podWithoutStatusHasNotStarted() {
    assertInstanceOf(PodOutcome.NotStarted.class, PodOutcome.of(new PodBuilder().build()));
  }

  @Test
  void pendingPodHasNotStarted() {
    assertInstanceOf(
        PodOutcome.NotStarted.class,
        PodOutcome.of(
            new PodBuilder()
                .withStatus(new PodStatusBuilder().withPhase("Pending").build())
                .build()));
  }

  @Test
  void runningMainContainerHasStarted() {
    assertInstanceOf(
        PodOutcome.Started.class,
        PodOutcome.of(
            pod(
                "Running",
                null,
                new ContainerStateBuilder().withNewRunning().endRunning().build())));
  }

  @Test
  void exitCodeOneIsAnApplicationFailure() {
    assertEquals(
        new ExitReport(1, "Error", FailureClass.APPLICATION),
        exit(pod("Failed", null, terminated(1, "Error"))));
  }

  @Test
  void exitCodeSeventyEightIsAConfigurationError() {
    assertEquals(
        FailureClass.CONFIGURATION,
        exit(pod("Failed", null, terminated(78, "Error"))).failureClass());
  }

  @Test
  void exitCodeSixtyFiveIsAnIncompatibleCheckpoint() {
    assertEquals(
        FailureClass.INCOMPATIBLE_CHECKPOINT,
        exit(pod("Failed", null, terminated(65, "Error"))).failureClass());
  }

  @Test
  void exitCodeZeroFinished() {
    assertEquals(
        new ExitReport(0, "Completed", FailureClass.FINISHED),
        exit(pod("Succeeded", null, terminated(0, "Completed"))));
  }

  @Test
  void oomKilledIsAnApplicationFailureNamedOomKilled() {
    assertEquals(
        new ExitReport(137, "OOMKilled", FailureClass.APPLICATION),
        exit(pod("Failed", null, terminated(137, "OOMKilled"))));
  }

  @Test
  void evictedPodIsAnInfrastructureFailureWithoutExitCode() {
    assertEquals(
        ExitReport.infrastructure("Evicted"),
        exit(pod("Failed", "Evicted", terminated(137, "Error"))));
  }

  @Test
  void evictedPodWithoutContainerStatusIsAnInfrastructureFailure() {
    Pod pod =
        new PodBuilder()
            .withStatus(new PodStatusBuilder().withPhase("Failed").withReason("Evicted").build())
            .build();
    assertEquals(ExitReport.infrastructure("Evicted"), exit(pod));
  }

  @Test
  void crashLoopBackOffEndsWithTheLastExitCode() {
    Pod pod =
        new PodBuilder()
            .withStatus(
                new PodStatusBuilder()
                    .withPhase("Running")
                    .withContainerStatuses(
                        new ContainerStatusBuilder()
                            .withName("millrace")
                            .withState(waiting("CrashLoopBackOff"))
                            .withLastState(terminated(78, "Error"))
                            .build())
                    .build())
            .build();
    assertEquals(new ExitReport(78, "CrashLoopBackOff", FailureClass.CONFIGURATION), exit(pod));
  }

  @Test
  void imagePullBackOffIsAConfigurationError() {
    assertEquals(
        new ExitReport(null, "ImagePullBackOff", FailureClass.CONFIGURATION),
        exit(pod("Pending", null, waiting("ImagePullBackOff"))));
  }

  @Test
  void errImagePullIsAConfigurationError() {
    assertEquals(
        new ExitReport(null, "ErrImagePull", FailureClass.CONFIGURATION),
        exit(pod("Pending", null, waiting("ErrImagePull"))));
  }

  @Test
  void containerCreatingHasNotStarted() {
    assertInstanceOf(
        PodOutcome.NotStarted.class,
        PodOutcome.of(pod("Pending", null, waiting("ContainerCreating"))));
  }

  @Test
  void theMainContainerDecidesWhenASidecarRuns() {
    Pod pod =
        new PodBuilder()
            .withStatus(
                new PodStatusBuilder()
                    .withPhase("Running")
                    .withContainerStatuses(
                        new ContainerStatusBuilder()
                            .withName("log-shipper")
                            .withState(
                                new ContainerStateBuilder().withNewRunning().endRunning().build())
                            .build(),
                        new ContainerStatusBuilder()
                            .withName("millrace")
                            .withState(terminated(1, "Error"))
                            .build())
                    .build())
            .build();
    assertEquals(FailureClass.APPLICATION, exit(pod).failureClass());
  }

  private static ExitReport exit(Pod pod) {
    return assertInstanceOf(PodOutcome.Ended.class, PodOutcome.of(pod)).exit();
  }

  private static Pod pod(String phase, String reason, ContainerState state) {
    return new PodBuilder()
        .withStatus(
            new PodStatusBuilder()
                .withPhase(phase)
                .withReason(reason)
                .withContainerStatuses(
                    new ContainerStatusBuilder().withName("millrace").withState(state).build())
                .build())
        .build();
  }

  private static ContainerState terminated(int code, String reason) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(code)
        .withReason(reason)
        .endTerminated()
        .build();
  }

  private static ContainerState waiting(String reason) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).endWaiting().build();
  }
}
