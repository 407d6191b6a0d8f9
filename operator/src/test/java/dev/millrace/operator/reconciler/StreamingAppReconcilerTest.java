package dev.millrace.operator.reconciler;

import static dev.millrace.operator.TestingApps.NAMESPACE;
import static dev.millrace.operator.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertEquals("1970-01-01T00:01:00Z", status.getBatches().getLastCompletedTime());
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
