package dev.millrace.operator.resource;

import dev.millrace.crds.DriverSpec;
import dev.millrace.crds.ExecutorSpec;
import dev.millrace.crds.LoggingSpec;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.launch.JvmHeap;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.operator.reconciler.SpecDiff;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver and executor pods of a {@link StreamingApp}, built from the resource alone (no I/O).
 *
 * <p>The spec's pod template is the base; the operator then sets what the launch contract and the
 * spec own, so a template can add sidecars, volumes, tolerations, node selectors, labels and
 * environment but cannot break supervision. On the container named {@value
 * LaunchContract#CONTAINER} (added if the template has none) the operator sets the image, the
 * command, the ports, the spec mount, {@code cpu} and {@code memory} (requests and limits, from the
 * spec), and the environment (the template's, then the spec's, then the operator's, a later name
 * winning; the operator's are the driver attempt, {@link LaunchContract#HEAP_VARIABLE}, the heap
 * for the pod's memory, {@link LaunchContract#APP_VARIABLE}, and with {@code spec.logging} the
 * user's Log4j file, mounted from its ConfigMap at {@link LaunchContract#LOGGING_DIRECTORY}). On
 * the pod it sets the name, namespace, owner, labels (the template's plus the operator's), {@code
 * restartPolicy: Never} (the Supervisor restarts, not the kubelet), the service account when the
 * spec names one, and a {@code terminationGracePeriodSeconds} of at least {@code
 * gracefulStopTimeout} plus {@link #GRACE_MARGIN}, so that the kubelet never cuts a graceful stop
 * short of what the spec allows.
 */
public final class AppPods {
  /** How much longer than {@code gracefulStopTimeout} the kubelet waits before SIGKILL. */
  public static final Duration GRACE_MARGIN = Duration.ofSeconds(30);

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String SPEC_VOLUME = "millrace-spec";
  private static final String LOGGING_VOLUME = "millrace-logging";

  private AppPods() {}

  /**
   * Driver pod {@code <app>-driver-<attempt>}; with {@code freshCheckpoint} it starts without state
   * ({@code upgradeMode: stateless}).
   */
  public static Pod driver(StreamingApp app, int attempt, boolean freshCheckpoint) {
    DriverSpec driver = app.getSpec().getDriver();
    List<EnvVar> env = new ArrayList<>(driver.getEnv());
    env.add(
        new EnvVarBuilder().withName("MILLRACE_DRIVER_ATTEMPT").withValue("" + attempt).build());
    Pod pod =
        pod(
            app,
            driver.getPodTemplate(),
            AppNames.driverPod(app, attempt),
            AppNames.driverLabels(app, attempt),
            LaunchContract.driverCommand(app, attempt, freshCheckpoint),
            env,
            driver.getCores(),
            driver.getMemory(),
            List.of(
                port("http", LaunchContract.HTTP_PORT),
                port("executors", LaunchContract.EXECUTOR_PORT)));
    if (driver.getServiceAccount() != null) {
      pod.getSpec().setServiceAccountName(driver.getServiceAccount());
    }
    return pod;
  }

  /**
   * Executor pod {@code <app>-exec-<n>} for executor id {@code exec-<n>}, serving its metrics on
   * {@link LaunchContract#HTTP_PORT} (unless {@code spec.executor.env} sets {@link
   * LaunchContract#METRICS_PORT_VARIABLE} otherwise).
   */
  public static Pod executor(StreamingApp app, String executorId) {
    ExecutorSpec executor = app.getSpec().getExecutor();
    List<EnvVar> env = new ArrayList<>();
    env.add(
        new EnvVarBuilder()
            .withName(LaunchContract.METRICS_PORT_VARIABLE)
            .withValue(String.valueOf(LaunchContract.HTTP_PORT))
            .build());
    env.addAll(executor.getEnv()); // a later name wins: the spec's setting over this default
    return pod(
        app,
        executor.getPodTemplate(),
        AppNames.executorPod(app, executorId),
        AppNames.executorLabels(app, executorId),
        LaunchContract.executorCommand(app, executorId),
        env,
        executor.getCores(),
        executor.getMemory(),
        List.of(port("http", LaunchContract.HTTP_PORT)));
  }

  /** {@code gracefulStopTimeout} plus {@link #GRACE_MARGIN}, in whole seconds rounded up. */
  public static long terminationGracePeriodSeconds(StreamingAppSpec spec) {
    Duration total = SupervisorPolicy.from(spec).gracefulStopTimeout().plus(GRACE_MARGIN);
    return total.getSeconds() + (total.getNano() > 0 ? 1 : 0);
  }

  private static Pod pod(
      StreamingApp app,
      PodTemplateSpec podTemplate,
      String name,
      Map<String, String> labels,
      List<String> command,
      List<EnvVar> specEnv,
      int cores,
      String memory,
      List<ContainerPort> ports) {
    PodTemplateSpec template =
        podTemplate == null ? new PodTemplateSpec() : SERIALIZATION.clone(podTemplate);
    ObjectMeta templateMeta =
        template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    Map<String, String> mergedLabels = new LinkedHashMap<>();
    if (templateMeta.getLabels() != null) {
      mergedLabels.putAll(templateMeta.getLabels());
    }
    mergedLabels.putAll(labels);
    ObjectMeta metadata = AppResources.metadata(app, name, mergedLabels);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (templateMeta.getAnnotations() != null) {
      annotations.putAll(templateMeta.getAnnotations());
    }
    annotations.put(AppNames.SPEC_HASH_ANNOTATION, SpecDiff.restartHash(app.getSpec()));
    // Where annotation-based Prometheus scraping finds the pod's metrics; a template may say
    // otherwise (or prometheus.io/scrape: "false").
    annotations.putIfAbsent("prometheus.io/scrape", "true");
    annotations.putIfAbsent("prometheus.io/port", String.valueOf(LaunchContract.HTTP_PORT));
    annotations.putIfAbsent("prometheus.io/path", LaunchContract.METRICS_PATH);
    metadata.setAnnotations(annotations);

    PodSpec spec = template.getSpec() == null ? new PodSpec() : template.getSpec();
    spec.setRestartPolicy("Never");
    long grace = terminationGracePeriodSeconds(app.getSpec());
    Long templateGrace = spec.getTerminationGracePeriodSeconds();
    spec.setTerminationGracePeriodSeconds(
        templateGrace == null ? grace : Math.max(grace, templateGrace));
    spec.setVolumes(
        withVolume(
            spec.getVolumes(),
            new VolumeBuilder()
                .withName(SPEC_VOLUME)
                .withNewConfigMap()
                .withName(AppNames.specConfigMap(app))
                .endConfigMap()
                .build()));
    LoggingSpec logging = app.getSpec().getLogging();
    boolean ownLogging = logging != null && logging.getConfigMap() != null;
    if (ownLogging) {
      spec.setVolumes(
          withVolume(
              spec.getVolumes(),
              new VolumeBuilder()
                  .withName(LOGGING_VOLUME)
                  .withNewConfigMap()
                  .withName(logging.getConfigMap())
                  .endConfigMap()
                  .build()));
    }

    List<Container> containers = new ArrayList<>(spec.getContainers());
    Container main =
        containers.stream()
            .filter(c -> LaunchContract.CONTAINER.equals(c.getName()))
            .findFirst()
            .orElseGet(
                () -> {
                  Container added = new Container();
                  added.setName(LaunchContract.CONTAINER);
                  containers.add(0, added);
                  return added;
                });
    main.setImage(app.getSpec().getImage());
    if (app.getSpec().getImagePullPolicy() != null) {
      main.setImagePullPolicy(app.getSpec().getImagePullPolicy().name());
    }
    main.setCommand(command);
    main.setArgs(List.of());
    List<EnvVar> env = new ArrayList<>(specEnv);
    env.add(
        new EnvVarBuilder()
            .withName(LaunchContract.HEAP_VARIABLE)
            .withValue(JvmHeap.mebibytes(memory) + "m")
            .build());
    env.add(
        new EnvVarBuilder()
            .withName(LaunchContract.APP_VARIABLE)
            .withValue(app.getMetadata().getName())
            .build());
    if (ownLogging) {
      env.add(
          new EnvVarBuilder()
              .withName(LaunchContract.LOG_CONFIGURATION_VARIABLE)
              .withValue(LaunchContract.LOGGING_DIRECTORY + "/" + logging.getKey())
              .build());
    }
    main.setEnv(mergedEnv(main.getEnv(), env));
    main.setPorts(mergedPorts(main.getPorts(), ports));
    main.setResources(resources(main.getResources(), cores, memory));
    List<VolumeMount> mounts = new ArrayList<>();
    if (main.getVolumeMounts() != null) {
      main.getVolumeMounts().stream()
          .filter(m -> !SPEC_VOLUME.equals(m.getName()) && !LOGGING_VOLUME.equals(m.getName()))
          .forEach(mounts::add);
    }
    mounts.add(
        new VolumeMountBuilder()
            .withName(SPEC_VOLUME)
            .withMountPath(LaunchContract.SPEC_DIRECTORY)
            .withReadOnly(true)
            .build());
    if (ownLogging) {
      mounts.add(
          new VolumeMountBuilder()
              .withName(LOGGING_VOLUME)
              .withMountPath(LaunchContract.LOGGING_DIRECTORY)
              .withReadOnly(true)
              .build());
    }
    main.setVolumeMounts(mounts);
    spec.setContainers(containers);

    Pod pod = new Pod();
    pod.setMetadata(metadata);
    pod.setSpec(spec);
    return pod;
  }

  private static List<Volume> withVolume(List<Volume> volumes, Volume added) {
    List<Volume> all = new ArrayList<>();
    if (volumes != null) {
      volumes.stream().filter(v -> !added.getName().equals(v.getName())).forEach(all::add);
    }
    all.add(added);
    return all;
  }

  private static List<EnvVar> mergedEnv(List<EnvVar> template, List<EnvVar> spec) {
    Map<String, EnvVar> byName = new LinkedHashMap<>();
    for (List<EnvVar> layer : List.of(template == null ? List.<EnvVar>of() : template, spec)) {
      for (EnvVar var : layer) {
        byName.remove(var.getName());
        byName.put(var.getName(), var);
      }
    }
    return new ArrayList<>(byName.values());
  }

  private static List<ContainerPort> mergedPorts(
      List<ContainerPort> template, List<ContainerPort> ours) {
    List<ContainerPort> all = new ArrayList<>(ours);
    if (template != null) {
      template.stream()
          .filter(
              p ->
                  ours.stream()
                      .noneMatch(
                          o ->
                              o.getContainerPort().equals(p.getContainerPort())
                                  || o.getName().equals(p.getName())))
          .forEach(all::add);
    }
    return all;
  }

  private static ResourceRequirements resources(
      ResourceRequirements template, int cores, String memory) {
    ResourceRequirements resources = template == null ? new ResourceRequirements() : template;
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (resources.getRequests() != null) {
      requests.putAll(resources.getRequests());
    }
    if (resources.getLimits() != null) {
      limits.putAll(resources.getLimits());
    }
    for (Map<String, Quantity> m : List.of(requests, limits)) {
      m.put("cpu", new Quantity(String.valueOf(cores)));
      m.put("memory", new Quantity(memory));
    }
    resources.setRequests(requests);
    resources.setLimits(limits);
    return resources;
  }

  private static ContainerPort port(String name, int number) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(number)
        .withProtocol("TCP")
        .build();
  }
}
