package dev.millrace.operator.reconciler;

import static dev.millrace.operator.TestingApps.NAMESPACE;
import static dev.millrace.operator.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.operator.TestingApps;
import dev.millrace.operator.TestingCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator against the fabric8 mock server: a real JOSDK operator, pods moved by the test. */
class StreamingAppReconcilerTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static TestingCluster cluster;

  @BeforeAll
  static void startOperator() {
    cluster = new TestingCluster();
    cluster.startOperator();
  }

  @AfterAll
  static void stopOperator() {
    cluster.close();
  }

  @Test
  void appliedAppGetsSpecServiceDriverAndExecutorsAndRunsOnceTheDriverCompletesABatch() {
    apply(TestingApps.app("word-count", 2));
    awaitPod("word-count-driver-1");
    awaitPod("word-count-exec-1");
    awaitPod("word-count-exec-2");
    assertTrue(
        cluster.client().configMaps().inNamespace(NAMESPACE).withName("word-count-spec").get()
            != null);
    assertTrue(
        cluster.client().services().inNamespace(NAMESPACE).withName("word-count-driver").get()
            != null);

    cluster.run(NAMESPACE, "word-count-driver-1");
    cluster.driverStatus.completedBatch("word-count", "word-count-driver-1", 1, 60_000);
    await("phase Running", WAIT, () -> phase("word-count") == Phase.Running);
    StreamingAppStatus status = status("word-count");
    assertEquals(1, status.getDriver().getAttempt());
    assertEquals("word-count-driver-1", status.getDriver().getName());
    assertEquals(
        "http://word-count-driver." + NAMESPACE + ".svc:4040/",
        status.getDriver().getUrl(),
        "the driver's status, metrics and UI, through its Service");
    assertEquals("1970-01-01T00:01:00Z", status.getBatches().getLastCompletedTime());
  }

  @Test
  void crashedDriverIsRestartedAfterItsBackoffAsAttemptTwo() {
    apply(TestingApps.app("crash", 1));
    awaitPod("crash-driver-1");
    cluster.run(NAMESPACE, "crash-driver-1");
    await("phase Starting", WAIT, () -> phase("crash") == Phase.Starting);

    cluster.exit(NAMESPACE, "crash-driver-1", 1);
    awaitPod("crash-driver-2");
    StreamingAppStatus status = status("crash");
    assertEquals(2, status.getDriver().getAttempt());
    assertEquals(1, status.getRestarts().getTotal());
    assertEquals(1, status.getDriver().getLastExit().getCode());
    assertEquals("Application", status.getDriver().getLastExit().getFailureClass());
    assertTrue(cluster.pod(NAMESPACE, "crash-driver-1").isPresent(), "kept for its logs");
    assertTrue(cluster.pod(NAMESPACE, "crash-exec-1").isPresent(), "executors outlive drivers");
  }

  @Test
  void configurationExitFailsTheAppWithoutAnotherDriverUntilANewRestartNonce() {
    apply(TestingApps.app("bad-conf", 0));
    awaitPod("bad-conf-driver-1");
    cluster.exit(NAMESPACE, "bad-conf-driver-1", 78);
    await("phase Failed", WAIT, () -> phase("bad-conf") == Phase.Failed);
    assertEquals("Configuration", condition("bad-conf", "Degraded").orElseThrow().getReason());
    assertEquals(
        List.of("bad-conf-driver-1"),
        pods("bad-conf").stream().map(p -> p.getMetadata().getName()).toList());

    edit("bad-conf", a -> a.getSpec().setRestartNonce("fixed"));
    awaitPod("bad-conf-driver-2");
    assertEquals(Phase.Starting, phase("bad-conf"));
  }

  @Test
  void invalidSpecIsDegradedWithOneWarningEventAndNoPods() {
    StreamingApp app = TestingApps.app("no-image", 1);
    app.getSpec().setImage(null);
    apply(app);
    await(
        "Degraded InvalidSpec",
        WAIT,
        () ->
            condition("no-image", "Degraded")
                .filter(c -> "InvalidSpec".equals(c.getReason()))
                .isPresent());
    Condition degraded = condition("no-image", "Degraded").orElseThrow();
    assertEquals("True", degraded.getStatus());
    assertTrue(degraded.getMessage().contains("spec.image"), degraded.getMessage());
    await("the Warning Event", WAIT, () -> warnings("no-image", "InvalidSpec") == 1);
    assertEquals(List.of(), pods("no-image"));
  }

  @Test
  void scalingExecutorsUpAndDownChangesOnlyExecutorPods() {
    apply(TestingApps.app("scale", 2));
    awaitPod("scale-exec-2");
    cluster.run(NAMESPACE, "scale-driver-1");
    String driverUid =
        cluster.pod(NAMESPACE, "scale-driver-1").orElseThrow().getMetadata().getUid();

    edit("scale", a -> a.getSpec().getExecutor().setInstances(3));
    awaitPod("scale-exec-3");
    await("desired executors 3", WAIT, () -> status("scale").getExecutors().getDesired() == 3);
    assertEquals(
        driverUid, cluster.pod(NAMESPACE, "scale-driver-1").orElseThrow().getMetadata().getUid());
    assertTrue(cluster.pod(NAMESPACE, "scale-driver-2").isEmpty());
    assertEquals(1, status("scale").getDriver().getAttempt());

    edit("scale", a -> a.getSpec().getExecutor().setInstances(1));
    await(
        "executors 2 and 3 gone",
        WAIT,
        () ->
            cluster.pod(NAMESPACE, "scale-exec-2").isEmpty()
                && cluster.pod(NAMESPACE, "scale-exec-3").isEmpty());
    assertTrue(cluster.pod(NAMESPACE, "scale-exec-1").isPresent());
    assertEquals(
        driverUid, cluster.pod(NAMESPACE, "scale-driver-1").orElseThrow().getMetadata().getUid());
  }

  @Test
  void suspendStopsDriverAndExecutorsAndResumeLaunchesTheNextAttempt() {
    apply(TestingApps.app("pause", 1));
    awaitPod("pause-exec-1");
    cluster.run(NAMESPACE, "pause-driver-1");
    await("phase Starting", WAIT, () -> phase("pause") == Phase.Starting);

    edit("pause", a -> a.getSpec().setSuspend(true));
    await("phase Suspended", WAIT, () -> phase("pause") == Phase.Suspended);
    await("no pods", WAIT, () -> pods("pause").isEmpty());

    edit("pause", a -> a.getSpec().setSuspend(false));
    awaitPod("pause-driver-2");
    awaitPod("pause-exec-1");
    assertEquals(Phase.Starting, phase("pause"));
  }

  @Test
  void newRestartNonceRestartsTheDriverWithoutCountingAFailure() {
    apply(TestingApps.app("nonce", 0));
    awaitPod("nonce-driver-1");
    cluster.run(NAMESPACE, "nonce-driver-1");
    await("phase Starting", WAIT, () -> phase("nonce") == Phase.Starting);

    edit("nonce", a -> a.getSpec().setRestartNonce("1"));
    awaitPod("nonce-driver-2");
    await("driver 1 gone", WAIT, () -> cluster.pod(NAMESPACE, "nonce-driver-1").isEmpty());
    assertEquals(0, status("nonce").getRestarts().getInWindow());
  }

  @Test
  void deletingTheAppDeletesItsPodsServiceAndConfigMap() {
    apply(TestingApps.app("gone", 2));
    awaitPod("gone-exec-2");
    cluster.run(NAMESPACE, "gone-driver-1");

    cluster.client().resources(StreamingApp.class).inNamespace(NAMESPACE).withName("gone").delete();
    await("the app gone", WAIT, () -> status("gone") == null);
    await("its pods gone", WAIT, () -> pods("gone").isEmpty());
    assertTrue(
        cluster.client().services().inNamespace(NAMESPACE).withName("gone-driver").get() == null);
    assertTrue(
        cluster.client().configMaps().inNamespace(NAMESPACE).withName("gone-spec").get() == null);
  }

  /**
   * Changes the spec as a user would, trying again when the operator wrote the status meanwhile.
   */
  private static void edit(String name, java.util.function.Consumer<StreamingApp> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        cluster
            .client()
            .resources(StreamingApp.class)
            .inNamespace(NAMESPACE)
            .withName(name)
            .edit(
                a -> {
                  change.accept(a);
                  return a;
                });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private static long warnings(String app, String reason) {
    return cluster.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> app.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason()))
        .count();
  }

  @Test
  void stalledDriverIsRestartedAfterMaxBatchDelayAndItsProgressStaysInTheStatus() {
    StreamingApp app = TestingApps.app("stall", 0);
    app.getSpec().getHealthCheck().setMaxBatchDelay("2s");
    apply(app);
    awaitPod("stall-driver-1");
    cluster.run(NAMESPACE, "stall-driver-1");
    cluster.driverStatus.completedBatch("stall", "stall-driver-1", 1, 5_000);
    await("phase Running", WAIT, () -> phase("stall") == Phase.Running);

    awaitPod("stall-driver-2");
    StreamingAppStatus status = status("stall");
    assertEquals("HealthCheck", status.getDriver().getLastExit().getReason());
    assertEquals("1970-01-01T00:00:05Z", status.getBatches().getLastCompletedTime());
    assertTrue(cluster.pod(NAMESPACE, "stall-driver-1").isEmpty(), "stopped by deleting its pod");
  }

  @Test
  void aDriverPodNeverScheduledWithinTheStartTimeoutIsReplacedWithoutCountingAFailure() {
    StreamingApp app = TestingApps.app("unscheduled", 0);
    app.getSpec().getHealthCheck().setStartTimeout("2s");
    apply(app);
    awaitPod("unscheduled-driver-1");

    // The pod stays Pending: no kubelet runs it.
    awaitPod("unscheduled-driver-2");

    StreamingAppStatus status = status("unscheduled");
    assertEquals("StartTimeout", status.getDriver().getLastExit().getReason());
    assertEquals(0, status.getRestarts().getInWindow(), "not the application's fault");
  }

  @Test
  void applicationChangeStopsTheDriverAndTheNextAttemptReadsTheNewSpec() {
    apply(TestingApps.app("upgrade", 1));
    awaitPod("upgrade-driver-1");
    cluster.run(NAMESPACE, "upgrade-driver-1");
    await("phase Starting", WAIT, () -> phase("upgrade") == Phase.Starting);

    edit("upgrade", a -> a.getSpec().getApplication().getArgs().add("--v2"));
    awaitPod("upgrade-driver-2");
    assertTrue(cluster.pod(NAMESPACE, "upgrade-driver-1").isEmpty());
    assertTrue(
        cluster
            .client()
            .configMaps()
            .inNamespace(NAMESPACE)
            .withName("upgrade-spec")
            .get()
            .getData()
            .get("app.yaml")
            .contains("--v2"));
    assertEquals(0, status("upgrade").getRestarts().getInWindow());
  }

  @Test
  void executorResourceChangeRestartsTheAppAndReplacesItsExecutorsOnceTheNewDriverRuns() {
    apply(TestingApps.app("resize", 1));
    awaitPod("resize-driver-1");
    awaitPod("resize-exec-1");
    cluster.run(NAMESPACE, "resize-driver-1");
    cluster.run(NAMESPACE, "resize-exec-1");
    String oldUid = cluster.pod(NAMESPACE, "resize-exec-1").orElseThrow().getMetadata().getUid();
    assertFalse("3Gi".equals(executorMemory()));

    edit("resize", a -> a.getSpec().getExecutor().setMemory("3Gi"));
    awaitPod("resize-driver-2");
    await(
        "resize-exec-1 built again with 3Gi",
        WAIT,
        () ->
            cluster
                .pod(NAMESPACE, "resize-exec-1")
                .filter(p -> !p.getMetadata().getUid().equals(oldUid))
                .filter(p -> "3Gi".equals(executorMemory()))
                .isPresent());
    assertEquals(0, status("resize").getRestarts().getInWindow());
  }

  private static String executorMemory() {
    return cluster
        .pod(NAMESPACE, "resize-exec-1")
        .map(
            p ->
                p.getSpec()
                    .getContainers()
                    .get(0)
                    .getResources()
                    .getLimits()
                    .get("memory")
                    .toString())
        .orElse(null);
  }

  @Test
  void statelessUpgradeStartsOnlyTheNextAttemptWithAFreshCheckpoint() {
    StreamingApp app = TestingApps.app("stateless", 0);
    app.getSpec().setUpgradeMode(dev.millrace.crds.UpgradeMode.STATELESS);
    apply(app);
    awaitPod("stateless-driver-1");
    cluster.run(NAMESPACE, "stateless-driver-1");
    assertFalse(command("stateless-driver-1").contains("--fresh-checkpoint"));

    edit("stateless", a -> a.getSpec().setImage("example.com/word-count:2"));
    awaitPod("stateless-driver-2");

    assertTrue(
        command("stateless-driver-2").contains("--fresh-checkpoint"),
        "the upgrade's attempt moves the checkpoint aside: " + command("stateless-driver-2"));
  }

  private static List<String> command(String pod) {
    return cluster.pod(NAMESPACE, pod).orElseThrow().getSpec().getContainers().get(0).getCommand();
  }

  @Test
  void invalidChangeOfARunningAppIsDegradedWhileTheLastValidSpecKeepsItSupervised() {
    apply(TestingApps.app("broken-later", 0));
    awaitPod("broken-later-driver-1");
    cluster.run(NAMESPACE, "broken-later-driver-1");
    await("phase Starting", WAIT, () -> phase("broken-later") == Phase.Starting);

    edit("broken-later", a -> a.getSpec().setImage(null));
    await(
        "Degraded InvalidSpec",
        WAIT,
        () ->
            condition("broken-later", "Degraded")
                .filter(c -> "InvalidSpec".equals(c.getReason()))
                .isPresent());
    await("the Warning Event", WAIT, () -> warnings("broken-later", "InvalidSpec") == 1);

    cluster.exit(NAMESPACE, "broken-later-driver-1", 1);
    awaitPod("broken-later-driver-2");
    assertEquals(
        "example.com/word-count:1",
        cluster
            .pod(NAMESPACE, "broken-later-driver-2")
            .orElseThrow()
            .getSpec()
            .getContainers()
            .get(0)
            .getImage());
    assertEquals("InvalidSpec", condition("broken-later", "Degraded").orElseThrow().getReason());
    assertEquals(1, warnings("broken-later", "InvalidSpec"));
  }

  @Test
  void crashedExecutorIsReplacedOnceUnderItsNameAndTheDriverStays() {
    apply(TestingApps.app("exec-crash", 1));
    awaitPod("exec-crash-exec-1");
    cluster.run(NAMESPACE, "exec-crash-driver-1");
    cluster.run(NAMESPACE, "exec-crash-exec-1");
    String firstRun = uid("exec-crash-exec-1");

    cluster.exit(NAMESPACE, "exec-crash-exec-1", 1);
    await(
        "a new exec-1 pod",
        WAIT,
        () ->
            cluster
                .pod(NAMESPACE, "exec-crash-exec-1")
                .map(p -> p.getMetadata().getUid())
                .filter(u -> !u.equals(firstRun))
                .isPresent());
    String secondRun = uid("exec-crash-exec-1");
    cluster.run(NAMESPACE, "exec-crash-exec-1");
    cluster.driverStatus.completedBatch("exec-crash", "exec-crash-driver-1", 1, 3_000);
    await("phase Running", WAIT, () -> phase("exec-crash") == Phase.Running);

    assertEquals(secondRun, uid("exec-crash-exec-1"));
    assertEquals(1, status("exec-crash").getDriver().getAttempt());
    assertEquals(0, status("exec-crash").getRestarts().getTotal());
  }

  private static String uid(String pod) {
    return cluster.pod(NAMESPACE, pod).orElseThrow().getMetadata().getUid();
  }

  private static void apply(StreamingApp app) {
    cluster.client().resource(app).create();
  }

  private static void awaitPod(String name) {
    await("pod " + name, WAIT, () -> cluster.pod(NAMESPACE, name).isPresent());
  }

  static StreamingAppStatus status(String app) {
    StreamingApp current =
        cluster.client().resources(StreamingApp.class).inNamespace(NAMESPACE).withName(app).get();
    return current == null ? null : current.getStatus();
  }

  static Phase phase(String app) {
    StreamingAppStatus status = status(app);
    return status == null ? null : status.getPhase();
  }

  static Optional<Condition> condition(String app, String type) {
    StreamingAppStatus status = status(app);
    return status == null
        ? Optional.empty()
        : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static List<Pod> pods(String app) {
    return cluster
        .client()
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("millrace.dev/app", app)
        .list()
        .getItems();
  }
}
