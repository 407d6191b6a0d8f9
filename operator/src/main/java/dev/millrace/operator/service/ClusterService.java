package dev.millrace.operator.service;

import dev.millrace.crds.StreamingApp;
import dev.millrace.operator.resource.AppNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's one port to the cluster: every create, delete, live read and Event goes through
 * here, so that the reconciler only decides.
 */
public final class ClusterService {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);
  private static final String COMPONENT = "millrace-operator";

  private final KubernetesClient client;
  private final Clock clock;

  /** Talks to the cluster through {@code client}; stamps Events with {@code clock}. */
  public ClusterService(KubernetesClient client, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Pod {@code name} as the API server has it now, bypassing the informer cache. */
  public Optional<Pod> livePod(String namespace, String name) {
    return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
  }

  /** Every pod of {@code app} as the API server has it now. */
  public List<Pod> livePods(StreamingApp app) {
    return client
        .pods()
        .inNamespace(app.getMetadata().getNamespace())
        .withLabels(AppNames.appLabels(app))
        .list()
        .getItems();
  }

  /**
   * Creates {@code pod}; one that exists already is left as it is: its name is deterministic, so it
   * is the same decision carried out before (by this operator before a restart, or by another).
   */
  public void createPod(Pod pod) {
    try {
      client.resource(pod).create();
      LOG.info("created pod {}/{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      LOG.info(
          "pod {}/{} exists already; not creating it again",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName());
    }
  }

  /** Creates {@code configMap}, or replaces its data if it differs. */
  public void apply(ConfigMap configMap) {
    ConfigMap existing =
        client
            .configMaps()
            .inNamespace(configMap.getMetadata().getNamespace())
            .withName(configMap.getMetadata().getName())
            .get();
    if (existing == null) {
      createIgnoringConflict(configMap);
    } else if (!Objects.equals(existing.getData(), configMap.getData())) {
      existing.setData(configMap.getData());
      client.resource(existing).update();
    }
  }

  /** Creates {@code service} unless it exists. */
  public void apply(Service service) {
    Service existing =
        client
            .services()
            .inNamespace(service.getMetadata().getNamespace())
            .withName(service.getMetadata().getName())
            .get();
    if (existing == null) {
      createIgnoringConflict(service);
    }
  }

  /**
   * Deletes {@code pod}, giving its containers {@code grace} between SIGTERM and SIGKILL ({@code
   * Duration.ZERO} kills at once).
   */
  public void deletePod(Pod pod, Duration grace) {
    long seconds = grace.getSeconds() + (grace.getNano() > 0 ? 1 : 0);
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withGracePeriod(seconds)
        .delete();
    LOG.info(
        "deleted pod {}/{} (grace {}s)",
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        seconds);
  }

  /**
   * Deletes every pod, the Service and the ConfigMap of {@code app}: Kubernetes' garbage collector
   * would too, through the owner references, but not before the StreamingApp is gone, and not at
   * all where none runs.
   */
  public void deleteChildren(StreamingApp app) {
    String namespace = app.getMetadata().getNamespace();
    client.pods().inNamespace(namespace).withLabels(AppNames.appLabels(app)).delete();
    client.services().inNamespace(namespace).withName(AppNames.driverService(app)).delete();
    client.configMaps().inNamespace(namespace).withName(AppNames.specConfigMap(app)).delete();
  }

  /** Records a core/v1 Event on {@code app}: {@code type} {@code Normal} or {@code Warning}. */
  public void event(StreamingApp app, String type, String reason, String message) {
    String now = clock.instant().toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(app.getMetadata().getName() + "." + UUID.randomUUID())
            .withNamespace(app.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(app.getApiVersion())
            .withKind(app.getKind())
            .withName(app.getMetadata().getName())
            .withNamespace(app.getMetadata().getNamespace())
            .withUid(app.getMetadata().getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .build();
    try {
      client.v1().events().inNamespace(app.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An Event is for humans; failing to record one must not fail the reconcile.
      LOG.warn(
          "cannot record event {} on {}: {}", reason, app.getMetadata().getName(), e.getMessage());
    }
  }

  private void createIgnoringConflict(HasMetadata resource) {
    try {
      client.resource(resource).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }
}
