package dev.millrace.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.millrace.crds.StreamingApp;
import dev.millrace.operator.monitoring.MonitoringServer;
import dev.millrace.operator.resource.AppPods;
import dev.millrace.runtime.metrics.DriverMetrics;
import dev.millrace.runtime.metrics.ExecutorMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The Helm chart {@code helm/millrace-operator}, linted and rendered by Helm itself (helm-java's
 * native library, only for linux-amd64 here) and read back with fabric8's model.
 */
class OperatorChartTest {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path CHART = REPOSITORY.resolve("helm/millrace-operator");
  private static final Path GENERATED_CRD =
      REPOSITORY.resolve("crds/streamingapps.millrace.dev-v1.yml");
  private static final Path CHART_CRD = CHART.resolve("crds/streamingapps.millrace.dev-v1.yml");
  private static final String RELEASE = "millrace-operator";
  private static final String NAMESPACE = "millrace-system";

  /** Helm's template command assumes Kubernetes 1.20 unless told, below the chart's kubeVersion. */
  private static final String KUBERNETES = "1.30.0";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** What the operator does to StreamingApps and their children, wherever it watches them. */
  private static final Set<String> APP_RULES =
      Set.of(
          "/pods:get,list,watch,create,delete,deletecollection",
          "/services:get,list,watch,create,update,delete",
          "/configmaps:get,list,watch,create,update,delete",
          "/events:create",
          "millrace.dev/streamingapps:get,list,watch,update,patch",
          "millrace.dev/streamingapps/status:get,update,patch",
          "millrace.dev/streamingapps/finalizers:update");

  @Test
  void theChartsCrdIsByteForByteTheGeneratedOne() throws IOException {
    assertArrayEquals(
        Files.readAllBytes(GENERATED_CRD),
        Files.readAllBytes(CHART_CRD),
        "the chart's CRD differs from the generated one; copy it:\n  cp "
            + REPOSITORY.relativize(GENERATED_CRD)
            + " "
            + REPOSITORY.relativize(CHART_CRD));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void theChartLintsWithoutWarnings() {
    LintResult lint = new Helm(CHART).lint().strict().call();

    assertFalse(lint.isFailed(), () -> String.join("\n", lint.getMessages()));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void byDefaultOneOperatorWatchesEveryNamespaceThroughAClusterRole() {
    List<HasMetadata> rendered = render(t -> t);

    assertEquals(
        Set.of(
            "ServiceAccount/millrace-operator",
            "ClusterRole/millrace-operator",
            "ClusterRoleBinding/millrace-operator",
            "Deployment/millrace-operator",
            "Service/millrace-operator-metrics"),
        kindsAndNames(rendered));
    assertEquals(APP_RULES, rules(one(rendered, ClusterRole.class, RELEASE).getRules()));
    ClusterRoleBinding binding = one(rendered, ClusterRoleBinding.class, RELEASE);
    assertEquals("ClusterRole/millrace-operator", roleRef(binding.getRoleRef()));
    assertOperatorServiceAccount(binding.getSubjects());

    Deployment deployment = one(rendered, Deployment.class, RELEASE);
    assertEquals(1, deployment.getSpec().getReplicas());
    assertEquals("Recreate", deployment.getSpec().getStrategy().getType());
    assertEquals(RELEASE, deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
    Container operator = operatorContainer(deployment);
    assertEquals("millrace/millrace-operator:0.1.0-SNAPSHOT", operator.getImage());
    assertEquals("IfNotPresent", operator.getImagePullPolicy());
    assertEquals(Optional.of(""), env(operator, WatchedNamespaces.ENV));
    assertEquals(Optional.empty(), env(operator, OperatorMain.LEADER_ELECTION_ENV));
    assertEquals(
        Optional.of("" + MonitoringServer.DEFAULT_PORT),
        env(operator, OperatorMain.MONITORING_PORT_ENV));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void theProbesAskTheOperatorsHealthAndReadinessOnItsMonitoringPort() {
    Container operator = operatorContainer(one(render(t -> t), Deployment.class, RELEASE));

    assertEquals(1, operator.getPorts().size());
    assertEquals("monitoring", operator.getPorts().get(0).getName());
    assertEquals(MonitoringServer.DEFAULT_PORT, operator.getPorts().get(0).getContainerPort());
    assertProbe("/healthz", operator.getLivenessProbe());
    assertProbe("/readyz", operator.getReadinessProbe());
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void theOperatorLogsAsTextAtInfoByDefaultWithItsOwnConfiguration() {
    Deployment deployment = one(render(t -> t), Deployment.class, RELEASE);
    Container operator = operatorContainer(deployment);

    assertEquals(Optional.of("info"), env(operator, "MILLRACE_LOG_LEVEL"));
    assertEquals(Optional.of("text"), env(operator, "MILLRACE_LOG_FORMAT"));
    assertEquals(Optional.empty(), env(operator, "LOG4J_CONFIGURATION_FILE"));
    assertEquals(1, deployment.getSpec().getTemplate().getSpec().getVolumes().size(), "tmp only");
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void loggingValuesSetTheFormatLevelAndMountTheUsersConfigMap() {
    Deployment deployment =
        one(
            render(
                t ->
                    t.set("logging.level", "debug")
                        .set("logging.format", "json")
                        .set("logging.configMap", "operator-logging")
                        .set("logging.key", "log4j2.properties")),
            Deployment.class,
            RELEASE);
    Container operator = operatorContainer(deployment);

    assertEquals(Optional.of("debug"), env(operator, "MILLRACE_LOG_LEVEL"));
    assertEquals(Optional.of("json"), env(operator, "MILLRACE_LOG_FORMAT"));
    assertEquals(
        Optional.of("/etc/millrace-operator/logging/log4j2.properties"),
        env(operator, "LOG4J_CONFIGURATION_FILE"));
    String volume =
        operator.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/etc/millrace-operator/logging"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no logging mount: " + operator))
            .getName();
    assertEquals(
        "operator-logging",
        deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(volume))
            .findFirst()
            .orElseThrow()
            .getConfigMap()
            .getName());
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void imageSettingsReachTheOperatorContainer() {
    Container operator =
        operatorContainer(
            one(
                render(
                    t ->
                        t.set("image.repository", "registry.example.com/millrace-operator")
                            .set("image.tag", "1.2.3")
                            .set("image.pullPolicy", "Always")),
                Deployment.class,
                RELEASE));

    assertEquals("registry.example.com/millrace-operator:1.2.3", operator.getImage());
    assertEquals("Always", operator.getImagePullPolicy());
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void aNamespaceListGetsARoleInEachNamespaceAndNothingClusterWide() {
    List<HasMetadata> rendered =
        render(t -> t.set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b"));

    assertEquals(
        Set.of(
            "ServiceAccount/millrace-operator",
            "Role/millrace-operator",
            "RoleBinding/millrace-operator",
            "Deployment/millrace-operator",
            "Service/millrace-operator-metrics"),
        kindsAndNames(rendered));
    for (String namespace : List.of("team-a", "team-b")) {
      Role role = one(rendered, Role.class, RELEASE, namespace);
      assertEquals(APP_RULES, rules(role.getRules()));
      RoleBinding binding = one(rendered, RoleBinding.class, RELEASE, namespace);
      assertEquals("Role/millrace-operator", roleRef(binding.getRoleRef()));
      assertOperatorServiceAccount(binding.getSubjects());
    }
    assertEquals(
        Optional.of("team-a,team-b"),
        env(operatorContainer(one(rendered, Deployment.class, RELEASE)), WatchedNamespaces.ENV));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void leaderElectionAddsTheLeaseRoleAndTheAccessReviewAndNamesTheLeaseNamespace() {
    List<HasMetadata> rendered =
        render(t -> t.set("leaderElection.enabled", "true").set("replicas", "2"));

    Role lease = one(rendered, Role.class, RELEASE + "-leader-election", NAMESPACE);
    assertEquals(
        Set.of("coordination.k8s.io/leases:get,create,update,patch"), rules(lease.getRules()));
    assertOperatorServiceAccount(
        one(rendered, RoleBinding.class, RELEASE + "-leader-election", NAMESPACE).getSubjects());
    ClusterRole review = one(rendered, ClusterRole.class, RELEASE + "-access-review");
    assertEquals(
        Set.of("authorization.k8s.io/selfsubjectrulesreviews:create"), rules(review.getRules()));
    assertOperatorServiceAccount(
        one(rendered, ClusterRoleBinding.class, RELEASE + "-access-review").getSubjects());
    assertEquals(APP_RULES, rules(one(rendered, ClusterRole.class, RELEASE).getRules()));

    Deployment deployment = one(rendered, Deployment.class, RELEASE);
    assertEquals(2, deployment.getSpec().getReplicas());
    assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
    assertEquals(
        Optional.of(NAMESPACE),
        env(operatorContainer(deployment), OperatorMain.LEADER_ELECTION_ENV));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void twoReplicasWithoutLeaderElectionAreRefusedWithWhatToSet() {
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> render(t -> t.set("replicas", "2")));

    assertTrue(
        refused.getMessage().contains("replicas: 2 needs leaderElection.enabled: true"),
        refused.getMessage());
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void theServiceMonitorScrapesTheMetricsServicesPort() {
    List<HasMetadata> rendered =
        render(
            t ->
                t.set("monitoring.serviceMonitor.enabled", "true")
                    .set("monitoring.serviceMonitor.labels.release", "prometheus"));

    Service service = one(rendered, Service.class, RELEASE + "-metrics");
    GenericKubernetesResource monitor = one(rendered, GenericKubernetesResource.class, RELEASE);
    assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
    assertEquals("ServiceMonitor", monitor.getKind());
    assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertTrue(
        service.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
        "selector " + selector + " does not select " + service.getMetadata().getLabels());
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertEquals(1, endpoints.size());
    assertEquals(service.getSpec().getPorts().get(0).getName(), endpoints.get(0).get("port"));
    assertEquals("/metrics", endpoints.get(0).get("path"));
    assertEquals("monitoring", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void thePodMonitorSelectsEveryAppsDriverAndExecutorPodsOnTheirHttpPort() {
    List<HasMetadata> rendered =
        render(
            t ->
                t.set("appMonitoring.podMonitor.enabled", "true")
                    .set("appMonitoring.podMonitor.labels.release", "prometheus"));

    GenericKubernetesResource monitor =
        one(rendered, GenericKubernetesResource.class, RELEASE + "-apps");
    assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
    assertEquals("PodMonitor", monitor.getKind());
    assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
    assertEquals(Boolean.TRUE, monitor.get("spec", "namespaceSelector", "any"));
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    List<Map<String, Object>> expressions = monitor.get("spec", "selector", "matchExpressions");
    List<Map<String, Object>> endpoints = monitor.get("spec", "podMetricsEndpoints");
    assertEquals(1, endpoints.size());
    assertEquals("/metrics", endpoints.get(0).get("path"));
    StreamingApp app = TestingApps.app("wc", 1);
    for (Pod pod : List.of(AppPods.driver(app, 1, false), AppPods.executor(app, "exec-1"))) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      assertTrue(
          labels.entrySet().containsAll(selector.entrySet()),
          "selector " + selector + " does not select " + labels);
      for (Map<String, Object> expression : expressions) {
        assertEquals("In", expression.get("operator"));
        assertTrue(
            ((List<?>) expression.get("values")).contains(labels.get(expression.get("key"))),
            expression + " does not select " + labels);
      }
      assertTrue(
          pod.getSpec().getContainers().get(0).getPorts().stream()
              .anyMatch(p -> p.getName().equals(endpoints.get(0).get("port"))),
          pod.getMetadata().getName() + " has no port named " + endpoints.get(0).get("port"));
    }

    GenericKubernetesResource inTwo =
        one(
            render(
                t ->
                    t.set("appMonitoring.podMonitor.enabled", "true")
                        .set("watchNamespaces[0]", "team-a")
                        .set("watchNamespaces[1]", "team-b")),
            GenericKubernetesResource.class,
            RELEASE + "-apps");
    assertEquals(List.of("team-a", "team-b"), inTwo.get("spec", "namespaceSelector", "matchNames"));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void theGrafanaDashboardIsLabelledForTheSidecarAndAsksOnlyForMetricsTheAppsServe()
      throws IOException {
    List<HasMetadata> rendered =
        render(t -> t.set("appMonitoring.grafanaDashboard.enabled", "true"));

    ConfigMap dashboard = one(rendered, ConfigMap.class, RELEASE + "-dashboard");
    assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("millrace-apps.json"));
    Set<String> served = servedMetricNames();
    Set<String> asked = new TreeSet<>();
    for (JsonNode panel : json.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        Matcher names =
            Pattern.compile("\\b((?:millrace|jvm)_\\w+)").matcher(target.get("expr").asText());
        while (names.find()) {
          asked.add(names.group(1));
        }
      }
    }
    assertTrue(asked.size() >= 10, "the dashboard asks for " + asked);
    Set<String> unknown = new TreeSet<>(asked);
    unknown.removeAll(served);
    assertEquals(
        Set.of(), unknown, "metrics the dashboard asks for that no Millrace process serves");
  }

  /**
   * The names a driver's and an executor's /metrics carry (or will, once a series exists), as
   * Prometheus stores them.
   */
  private static Set<String> servedMetricNames() {
    Set<String> names = new TreeSet<>();
    List<MetricSnapshot> snapshots = new ArrayList<>();
    new DriverMetrics("names", 1000, () -> 0, List::of).snapshot().forEach(snapshots::add);
    new ExecutorMetrics("names", "exec-1", () -> 0).snapshot().forEach(snapshots::add);
    for (MetricSnapshot metric : snapshots) {
      String name = metric.getMetadata().getPrometheusName();
      if (metric instanceof HistogramSnapshot) {
        names.addAll(List.of(name + "_bucket", name + "_sum", name + "_count"));
      } else if (metric instanceof CounterSnapshot) {
        names.add(name + "_total");
      } else {
        names.add(name);
      }
    }
    return names;
  }

  // ---- rendering and reading

  private static List<HasMetadata> render(UnaryOperator<TemplateCommand> values) {
    String yaml =
        values
            .apply(
                new Helm(CHART)
                    .template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withKubeVersion(KUBERNETES))
            .call();
    return Arrays.stream(yaml.split("(?m)^---\\s*$"))
        .filter(document -> document.lines().anyMatch(l -> l.startsWith("kind:")))
        .map(document -> (HasMetadata) SERIALIZATION.unmarshal(document))
        .toList();
  }

  private static Set<String> kindsAndNames(List<HasMetadata> rendered) {
    Set<String> names = new TreeSet<>();
    rendered.forEach(r -> names.add(r.getKind() + "/" + r.getMetadata().getName()));
    return names;
  }

  private static <T extends HasMetadata> T one(
      List<HasMetadata> rendered, Class<T> type, String name) {
    return one(rendered, type, name, null);
  }

  private static <T extends HasMetadata> T one(
      List<HasMetadata> rendered, Class<T> type, String name, String namespace) {
    List<T> found =
        rendered.stream()
            .filter(type::isInstance)
            .map(type::cast)
            .filter(r -> r.getMetadata().getName().equals(name))
            .filter(r -> namespace == null || namespace.equals(r.getMetadata().getNamespace()))
            .toList();
    assertEquals(
        1,
        found.size(),
        () ->
            type.getSimpleName()
                + " "
                + name
                + " in "
                + namespace
                + ": "
                + kindsAndNames(rendered));
    return found.get(0);
  }

  private static Set<String> rules(List<PolicyRule> rules) {
    Set<String> flat = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          flat.add(group + "/" + resource + ":" + String.join(",", rule.getVerbs()));
        }
      }
    }
    return flat;
  }

  private static String roleRef(io.fabric8.kubernetes.api.model.rbac.RoleRef ref) {
    return ref.getKind() + "/" + ref.getName();
  }

  private static void assertOperatorServiceAccount(List<Subject> subjects) {
    assertEquals(1, subjects.size());
    Subject subject = subjects.get(0);
    assertEquals(
        "ServiceAccount " + NAMESPACE + "/" + RELEASE,
        subject.getKind() + " " + subject.getNamespace() + "/" + subject.getName());
  }

  private static Container operatorContainer(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  private static Optional<String> env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .map(v -> v == null ? "" : v)
        .findFirst();
  }

  private static void assertProbe(String path, Probe probe) {
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals("monitoring", probe.getHttpGet().getPort().getStrVal());
  }
}
