package dev.millrace.operator.reconciler;

import static dev.millrace.operator.TestingApps.NAMESPACE;
import static dev.millrace.operator.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.operator.TestingApps;
import dev.millrace.operator.TestingCluster;
import dev.millrace.operator.observer.PodOutcome;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Fifty applications whose every driver crashes as soon as it is created, supervised by two
 * operator replicas at once (no leader election): each is restarted exactly {@code maxRestarts}
 * times and then Failed, and no driver attempt is ever created twice or while another driver of its
 * application still runs.
 */
class DriverStormTest {
  private static final int APPS = 50;

  @Test
  void fiftyAppsWithCrashingDriversUnderTwoOperatorsGetBoundedRestartsAndNoDuplicateDriver() {
    List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
    Map<String, Set<Integer>> attempts = new ConcurrentHashMap<>();
    ExecutorService kubelet = Executors.newSingleThreadExecutor();
    try (TestingCluster cluster = new TestingCluster()) {
      cluster.startOperator();
      cluster.startOperator(); // a second replica
      SharedIndexInformer<Pod> informer =
          cluster
              .client()
              .pods()
              .inNamespace(NAMESPACE)
              .withLabel("millrace.dev/role", "driver")
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                      String app = pod.getMetadata().getLabels().get("millrace.dev/app");
                      int attempt =
                          Integer.parseInt(
                              pod.getMetadata().getLabels().get("millrace.dev/attempt"));
                      if (!attempts.computeIfAbsent(app, a -> new TreeSet<>()).add(attempt)) {
                        duplicates.add(pod.getMetadata().getName() + " created twice");
                      }
                      kubelet.submit(() -> crash(cluster, app, pod, duplicates));
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {}

                    @Override
                    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}
                  });
      IntStream.rangeClosed(1, APPS)
          .forEach(i -> cluster.client().resource(TestingApps.app("storm-" + i, 0)).create());

      await(
          "every app Failed",
          Duration.ofSeconds(120),
          () ->
              cluster
                      .client()
                      .resources(StreamingApp.class)
                      .inNamespace(NAMESPACE)
                      .list()
                      .getItems()
                      .stream()
                      .filter(
                          a -> a.getStatus() != null && a.getStatus().getPhase() == Phase.Failed)
                      .count()
                  == APPS);
      informer.close();

      assertEquals(List.of(), duplicates);
      for (StreamingApp app :
          cluster.client().resources(StreamingApp.class).inNamespace(NAMESPACE).list().getItems()) {
        String name = app.getMetadata().getName();
        assertEquals(Set.of(1, 2, 3, 4), attempts.get(name), name);
        assertEquals(4, app.getStatus().getDriver().getAttempt(), name);
        assertEquals(3, app.getStatus().getRestarts().getTotal(), name);
        assertEquals(
            "RestartLimit",
            app.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Degraded"))
                .findFirst()
                .orElseThrow()
                .getReason(),
            name);
      }
    } finally {
      kubelet.shutdownNow();
    }
  }

  /** Ends {@code pod} with exit 1, after checking that no other driver of {@code app} runs. */
  private static void crash(TestingCluster cluster, String app, Pod pod, List<String> duplicates) {
    cluster
        .client()
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("millrace.dev/app", app)
        .withLabel("millrace.dev/role", "driver")
        .list()
        .getItems()
        .stream()
        .filter(p -> !p.getMetadata().getName().equals(pod.getMetadata().getName()))
        .filter(p -> !(PodOutcome.of(p) instanceof PodOutcome.Ended))
        .forEach(
            p ->
                duplicates.add(
                    pod.getMetadata().getName()
                        + " created while "
                        + p.getMetadata().getName()
                        + " ran"));
    cluster.exit(NAMESPACE, pod.getMetadata().getName(), 1);
  }
}
