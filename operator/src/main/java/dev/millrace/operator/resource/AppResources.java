package dev.millrace.operator.resource;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.validation.StreamingAppFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;

/**
 * The ConfigMap and the Service of a {@link StreamingApp}, built from the resource alone (no I/O).
 * Each is owned by the StreamingApp, so that Kubernetes' garbage collector removes whatever the
 * operator's own cleanup missed.
 */
public final class AppResources {
  private AppResources() {}

  /**
   * {@code <app>-spec}: the spec as YAML under {@link LaunchContract#SPEC_FILE}, the file every pod
   * reads. Only name, namespace and labels of the metadata are kept; the status is left out.
   */
  public static ConfigMap specConfigMap(StreamingApp app) {
    StreamingApp written = new StreamingApp();
    written.setMetadata(
        new ObjectMetaBuilder()
            .withName(app.getMetadata().getName())
            .withNamespace(app.getMetadata().getNamespace())
            .withLabels(app.getMetadata().getLabels())
            .build());
    written.setSpec(app.getSpec());
    return new ConfigMapBuilder()
        .withMetadata(metadata(app, AppNames.specConfigMap(app), AppNames.appLabels(app)))
        .withData(Map.of(LaunchContract.SPEC_FILE, StreamingAppFiles.toYaml(written)))
        .build();
  }

  /**
   * {@code <app>-driver}: a headless Service selecting the driver pod of whatever attempt runs, so
   * executors reach it at one DNS name. Not-ready addresses are published because executors must
   * register while the driver starts.
   */
  public static Service driverService(StreamingApp app) {
    Map<String, String> selector = AppNames.appLabels(app);
    selector.put(AppNames.ROLE_LABEL, AppNames.DRIVER_ROLE);
    return new ServiceBuilder()
        .withMetadata(metadata(app, AppNames.driverService(app), AppNames.appLabels(app)))
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(selector)
        .addNewPort()
        .withName("http")
        .withPort(LaunchContract.HTTP_PORT)
        .endPort()
        .addNewPort()
        .withName("executors")
        .withPort(LaunchContract.EXECUTOR_PORT)
        .endPort()
        .endSpec()
        .build();
  }

  /** Metadata in {@code app}'s namespace, owned by it. */
  static ObjectMeta metadata(StreamingApp app, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(ownerReference(app))
        .build();
  }

  /** The StreamingApp as the controlling owner. */
  public static OwnerReference ownerReference(StreamingApp app) {
    return new OwnerReferenceBuilder()
        .withApiVersion(app.getApiVersion())
        .withKind(app.getKind())
        .withName(app.getMetadata().getName())
        .withUid(app.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
