package dev.millrace.operator.observer;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.SupervisorSnapshot;
import dev.millrace.operator.resource.AppNames;
import dev.millrace.operator.service.ClusterService;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the world for one reconcile: the application's pods from the informer cache, confirmed with
 * a live read where the cache lacks one the Supervisor expects (an informer can lag behind a
 * create, and a driver declared gone by mistake would be replaced while it still runs), and the
 * running driver's status endpoint.
 */
public final class AppObserver {
  private final ClusterService cluster;
  private final DriverStatusSource statusSource;

  /** Confirms through {@code cluster}; polls drivers through {@code statusSource}. */
  public AppObserver(ClusterService cluster, DriverStatusSource statusSource) {
    this.cluster = cluster;
    this.statusSource = statusSource;
  }

  /**
   * What is there of {@code app}, given its pods in the informer cache and what the Supervisor
   * remembers ({@code snapshot}, absent before the first reconcile).
   */
  public AppObservation observe(
      StreamingApp app, Collection<Pod> cachedPods, Optional<SupervisorSnapshot> snapshot) {
    String namespace = app.getMetadata().getNamespace();
    int attempt = snapshot.map(SupervisorSnapshot::attempt).orElse(0);
    String driverName = attempt == 0 ? null : AppNames.driverPod(app, attempt);
    Pod driver = null;
    Map<String, Pod> executors = new HashMap<>();
    List<Pod> otherDrivers = new ArrayList<>();
    for (Pod pod : cachedPods) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      String role = labels == null ? null : labels.get(AppNames.ROLE_LABEL);
      if (AppNames.DRIVER_ROLE.equals(role)) {
        if (pod.getMetadata().getName().equals(driverName)) {
          driver = pod;
        } else {
          otherDrivers.add(pod);
        }
      } else if (AppNames.EXECUTOR_ROLE.equals(role)
          && labels.get(AppNames.EXECUTOR_LABEL) != null) {
        executors.put(labels.get(AppNames.EXECUTOR_LABEL), pod);
      }
    }
    if (driver == null && driverName != null) {
      driver = cluster.livePod(namespace, driverName).orElse(null);
    }
    // An ended executor pod in the cache may already be deleted to free its name for the next
    // run of its id; read live, so that the old run's exit is not reported again for the new one.
    for (Map.Entry<String, Pod> e : List.copyOf(executors.entrySet())) {
      if (PodOutcome.of(e.getValue()) instanceof PodOutcome.Ended) {
        Optional<Pod> live = cluster.livePod(namespace, e.getValue().getMetadata().getName());
        if (live.isPresent()) {
          executors.put(e.getKey(), live.get());
        } else {
          executors.remove(e.getKey());
        }
      }
    }
    if (snapshot.isPresent()) {
      for (SupervisorSnapshot.ExecutorSnapshot e : snapshot.get().executors()) {
        if (!executors.containsKey(e.id())) {
          cluster
              .livePod(namespace, AppNames.executorPod(app, e.id()))
              .ifPresent(p -> executors.put(e.id(), p));
        }
      }
    }
    Optional<DriverStatusReport> report = Optional.empty();
    if (driver != null && PodOutcome.of(driver) instanceof PodOutcome.Started) {
      report = statusSource.poll(driver);
    }
    return new AppObservation(Optional.ofNullable(driver), executors, otherDrivers, report);
  }
}
