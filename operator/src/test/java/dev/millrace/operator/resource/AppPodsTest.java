package dev.millrace.operator.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.StreamingApp;
import dev.millrace.operator.TestingApps;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppPodsTest {
  @Test
  void driverPodIsNamedAndLabelledByAttemptAndOwnedByTheApp() {
    Pod pod = AppPods.driver(app(), 3, false);
    assertEquals("wc-driver-3", pod.getMetadata().getName());
    assertEquals("apps", pod.getMetadata().getNamespace());
    assertEquals(
        Map.of(
            "app.kubernetes.io/name", "millrace",
            "millrace.dev/app", "wc",
            "millrace.dev/role", "driver",
            "millrace.dev/attempt", "3"),
        pod.getMetadata().getLabels());
    assertEquals("StreamingApp", pod.getMetadata().getOwnerReferences().get(0).getKind());
    assertEquals("uid-wc", pod.getMetadata().getOwnerReferences().get(0).getUid());
    assertTrue(pod.getMetadata().getOwnerReferences().get(0).getController());
  }

  @Test
  void driverRunsTheLaunchContractWithFixedPortsAndNeverRestartsByItself() {
    Pod pod = AppPods.driver(app(), 2, false);
    Container main = main(pod);
    assertEquals(
        List.of(
            "millrace",
            "driver",
            "--spec",
            "/etc/millrace/app.yaml",
            "--attempt",
            "2",
            "--supervision-id",
            "uid-wc",
            "--bind-address",
            "0.0.0.0",
            "--http-port",
            "4040",
            "--executor-port",
            "7077"),
        main.getCommand());
    assertEquals("example.com/word-count:1", main.getImage());
    assertEquals("Never", pod.getSpec().getRestartPolicy());
    assertEquals("/etc/millrace", main.getVolumeMounts().get(0).getMountPath());
    assertEquals("wc-spec", pod.getSpec().getVolumes().get(0).getConfigMap().getName());
  }

  @Test
  void executorRegistersWithTheDriverServiceAddress() {
    Pod pod = AppPods.executor(app(), "exec-2");
    assertEquals("wc-exec-2", pod.getMetadata().getName());
    assertEquals("executor", pod.getMetadata().getLabels().get("millrace.dev/role"));
    assertEquals("exec-2", pod.getMetadata().getLabels().get("millrace.dev/executor"));
    assertEquals(
        List.of(
            "millrace",
            "executor",
            "--driver",
            "wc-driver.apps.svc:7077",
            "--app",
            "wc",
            "--spec",
            "/etc/millrace/app.yaml",
            "--id",
            "exec-2",
            "--cores",
            "1",
            "--memory",
            "1Gi"),
        main(pod).getCommand());
  }

  @Test
  void everyPodServesItsMetricsOnTheHttpPortWhereItsScrapeAnnotationsPoint() {
    StreamingApp app = app();
    for (Pod pod : List.of(AppPods.driver(app, 1, false), AppPods.executor(app, "exec-1"))) {
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      assertEquals("true", annotations.get("prometheus.io/scrape"), pod.getMetadata().getName());
      assertEquals("4040", annotations.get("prometheus.io/port"));
      assertEquals("/metrics", annotations.get("prometheus.io/path"));
      assertTrue(
          main(pod).getPorts().stream()
              .anyMatch(p -> p.getName().equals("http") && p.getContainerPort() == 4040),
          main(pod).getPorts().toString());
    }
    assertEquals("4040", env(main(AppPods.executor(app, "exec-1")), "MILLRACE_METRICS_PORT"));

    app.getSpec()
        .getExecutor()
        .setEnv(
            List.of(
                new EnvVarBuilder().withName("MILLRACE_METRICS_PORT").withValue("9100").build()));
    assertEquals(
        "9100",
        env(main(AppPods.executor(app, "exec-1")), "MILLRACE_METRICS_PORT"),
        "the spec's setting wins over the operator's default");
  }

  @Test
  void resourcesComeFromTheSpec() {
    StreamingApp app = app();
    app.getSpec().getDriver().setCores(2);
    app.getSpec().getDriver().setMemory("3Gi");
    Container main = main(AppPods.driver(app, 1, false));
    assertEquals(new Quantity("2"), main.getResources().getRequests().get("cpu"));
    assertEquals(new Quantity("3Gi"), main.getResources().getRequests().get("memory"));
    assertEquals(new Quantity("3Gi"), main.getResources().getLimits().get("memory"));
    // The image's millrace command starts the JVM with -Xmx of it: 3 GiB less 384 MiB.
    assertEquals("2688m", env(main, "MILLRACE_HEAP"));
    app.getSpec().getExecutor().setMemory("512Mi");
    assertEquals("256m", env(main(AppPods.executor(app, "exec-1")), "MILLRACE_HEAP"));
  }

  @Test
  void terminationGracePeriodIsLongerThanTheGracefulStopTimeout() {
    StreamingApp app = app();
    app.getSpec().setGracefulStopTimeout("90s");
    assertEquals(120L, AppPods.driver(app, 1, false).getSpec().getTerminationGracePeriodSeconds());
    assertEquals(
        120L, AppPods.executor(app, "exec-1").getSpec().getTerminationGracePeriodSeconds());
  }

  @Test
  void podTemplateIsMergedButCannotOverrideWhatTheOperatorOwns() {
    StreamingApp app = app();
    app.getSpec()
        .getDriver()
        .setPodTemplate(
            new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(Map.of("team", "data", "millrace.dev/role", "spoofed"))
                .endMetadata()
                .withNewSpec()
                .withNodeSelector(Map.of("disk", "ssd"))
                .withRestartPolicy("Always")
                .withTerminationGracePeriodSeconds(5L)
                .withContainers(
                    new ContainerBuilder()
                        .withName("millrace")
                        .withImage("ignored")
                        .addNewEnv()
                        .withName("FROM_TEMPLATE")
                        .withValue("t")
                        .endEnv()
                        .addNewEnv()
                        .withName("MODE")
                        .withValue("template")
                        .endEnv()
                        .build(),
                    new ContainerBuilder().withName("log-shipper").withImage("fluent-bit").build())
                .endSpec()
                .build());
    app.getSpec().getDriver().getEnv().add(new EnvVar("MODE", "spec", null));

    Pod pod = AppPods.driver(app, 1, false);

    assertEquals("data", pod.getMetadata().getLabels().get("team"));
    assertEquals("driver", pod.getMetadata().getLabels().get("millrace.dev/role"));
    assertEquals(Map.of("disk", "ssd"), pod.getSpec().getNodeSelector());
    assertEquals("Never", pod.getSpec().getRestartPolicy());
    assertEquals(32L, pod.getSpec().getTerminationGracePeriodSeconds());
    assertEquals(
        List.of("millrace", "log-shipper"),
        pod.getSpec().getContainers().stream().map(Container::getName).toList());
    Container main = main(pod);
    assertEquals("example.com/word-count:1", main.getImage());
    assertEquals("t", env(main, "FROM_TEMPLATE"));
    assertEquals("spec", env(main, "MODE"));
    assertEquals("1", env(main, "MILLRACE_DRIVER_ATTEMPT"));
  }

  @Test
  void theSpecTemplateIsNotModified() {
    StreamingApp app = app();
    app.getSpec()
        .getExecutor()
        .setPodTemplate(new PodTemplateSpecBuilder().withNewSpec().endSpec().build());
    AppPods.executor(app, "exec-1");
    assertTrue(app.getSpec().getExecutor().getPodTemplate().getSpec().getContainers().isEmpty());
  }

  @Test
  void aLoggingConfigMapIsMountedIntoDriverAndExecutorPodsAndNamedToLog4j() {
    StreamingApp app = app();
    app.getSpec().getLogging().setConfigMap("wc-logging");
    app.getSpec().getLogging().setKey("log4j2.properties");
    for (Pod pod : List.of(AppPods.driver(app, 1, false), AppPods.executor(app, "exec-1"))) {
      Container main = main(pod);
      assertEquals(
          "/etc/millrace-logging/log4j2.properties", env(main, "LOG4J_CONFIGURATION_FILE"));
      String volume =
          main.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals("/etc/millrace-logging"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no logging mount in " + main))
              .getName();
      assertEquals(
          "wc-logging",
          pod.getSpec().getVolumes().stream()
              .filter(v -> v.getName().equals(volume))
              .findFirst()
              .orElseThrow()
              .getConfigMap()
              .getName());
    }
  }

  @Test
  void withoutSpecLoggingPodsKeepMillracesDefaultAndNameTheirAppForJsonLines() {
    for (Pod pod : List.of(AppPods.driver(app(), 1, false), AppPods.executor(app(), "exec-1"))) {
      Container main = main(pod);
      assertEquals("wc", env(main, "MILLRACE_APP"));
      assertTrue(
          main.getEnv().stream().noneMatch(e -> e.getName().equals("LOG4J_CONFIGURATION_FILE")),
          main.getEnv().toString());
      assertEquals(1, pod.getSpec().getVolumes().size(), "the spec's volume only");
    }
  }

  static StreamingApp app() {
    StreamingApp app = TestingApps.app("wc", 2);
    app.getMetadata().setUid("uid-wc");
    return app;
  }

  private static Container main(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("millrace"))
        .findFirst()
        .orElseThrow();
  }

  private static String env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue();
  }
}
