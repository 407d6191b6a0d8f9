package dev.millrace.operator;

import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.operator.observer.DriverStatusSource;
import dev.millrace.operator.resource.LaunchContract;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A kubelet for the mock API server that runs each pod's main container command as a local JVM on
 * this test's classpath: Pending, then Running once started, then Succeeded or Failed with the
 * process's exit code; a deleted pod's process tree is killed. Launches are keyed by pod UID,
 * because informers replay and the operator reuses pod names.
 *
 * <p>Every pod shares 127.0.0.1, so the command is rewritten where the launch contract fixes an
 * address: {@code millrace} becomes {@code java -cp <classpath> dev.millrace.runtime.cli.Millrace},
 * a path under a ConfigMap mount points at the ConfigMap's files written to disk, the driver's
 * status port becomes a free port ({@link #driverStatus()} reads it there), and the executor port,
 * including the Service address executors dial, becomes one port fixed for this kubelet, so that
 * executors reach every driver attempt as they would through the Service. {@code --supervisor-pid}
 * ties every process to this JVM.
 */
public final class TestingKubelet implements AutoCloseable {
  private static final String MAIN = "dev.millrace.runtime.cli.Millrace";

  private final KubernetesClient client;
  private final Path root;
  private final int executorPort;
  private final Map<String, Launched> byUid = new ConcurrentHashMap<>();
  private final ExecutorService events =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "testing-kubelet"));
  private final SharedIndexInformer<Pod> informer;

  /** A pod's process, and the port its driver status endpoint listens on (0 for executors). */
  private record Launched(String namespace, String name, Process process, int httpPort) {}

  /** Starts watching every pod; processes write their logs and files under {@code root}. */
  public TestingKubelet(KubernetesClient client, Path root) {
    this.client = client;
    this.root = root;
    this.executorPort = freePort();
    this.informer =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    events.execute(() -> launch(pod));
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    events.execute(() -> launch(pod));
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {
                    events.execute(() -> kill(pod.getMetadata().getUid()));
                  }
                });
  }

  /** The process of pod {@code name}, while it runs. */
  public Optional<Process> process(String namespace, String name) {
    return byUid.values().stream()
        .filter(l -> l.namespace().equals(namespace) && l.name().equals(name))
        .map(Launched::process)
        .filter(Process::isAlive)
        .findFirst();
  }

  /** The log of pod {@code name}'s newest run. */
  public Path log(String namespace, String name) {
    return byUid.entrySet().stream()
        .filter(e -> e.getValue().namespace().equals(namespace))
        .filter(e -> e.getValue().name().equals(name))
        .map(e -> root.resolve(e.getKey()).resolve("log"))
        .reduce((a, b) -> b)
        .orElse(root.resolve("no-such-pod"));
  }

  /** Reads a driver pod's status endpoint where this kubelet moved it. */
  public DriverStatusSource driverStatus() {
    DriverStatusClient statusClient = new DriverStatusClient();
    return pod -> {
      Launched launched = byUid.get(pod.getMetadata().getUid());
      return launched == null || launched.httpPort() == 0
          ? Optional.empty()
          : statusClient.poll("127.0.0.1:" + launched.httpPort());
    };
  }

  private void launch(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (byUid.containsKey(uid) || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (phase != null && !"Pending".equals(phase)) {
      return;
    }
    Container main =
        pod.getSpec().getContainers().stream()
            .filter(c -> LaunchContract.CONTAINER.equals(c.getName()))
            .findFirst()
            .orElseThrow();
    Path dir = root.resolve(uid);
    try {
      Files.createDirectories(dir);
      List<String> command = new ArrayList<>();
      int httpPort = 0;
      List<String> original = main.getCommand();
      for (int i = 0; i < original.size(); i++) {
        String arg = original.get(i);
        String previous = i == 0 ? "" : original.get(i - 1);
        if (i == 0 && arg.equals("millrace")) {
          command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
          command.add("-Xmx256m");
          command.add("-XX:TieredStopAtLevel=1");
          command.add("-cp");
          command.add(System.getProperty("java.class.path"));
          command.add(MAIN);
        } else if (previous.equals("--http-port")) {
          httpPort = freePort();
          command.add(String.valueOf(httpPort));
        } else if (previous.equals("--executor-port")) {
          command.add(String.valueOf(executorPort));
        } else if (previous.equals("--driver")) {
          command.add("127.0.0.1:" + executorPort);
        } else {
          command.add(mounted(pod, main, dir, arg));
        }
      }
      // If this test's JVM dies without closing the kubelet, its pods' JVMs stop by themselves.
      command.add("--supervisor-pid");
      command.add(String.valueOf(ProcessHandle.current().pid()));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("log").toFile());
      for (EnvVar var : main.getEnv()) {
        if (var.getName().equals(LaunchContract.METRICS_PORT_VARIABLE)) {
          // Pods share this host here, not a network namespace each: a fixed port becomes a free
          // one, as --http-port does.
          builder.environment().put(var.getName(), "0");
        } else if (var.getValue() != null) {
          // A file of a mounted ConfigMap (LOG4J_CONFIGURATION_FILE) is on this machine's disk.
          builder.environment().put(var.getName(), mounted(pod, main, dir, var.getValue()));
        }
      }
      Process process = builder.start();
      String namespace = pod.getMetadata().getNamespace();
      String name = pod.getMetadata().getName();
      byUid.put(uid, new Launched(namespace, name, process, httpPort));
      setStatus(namespace, name, uid, running());
      process.onExit().thenAccept(p -> events.execute(() -> ended(namespace, name, uid, p)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start pod " + pod.getMetadata().getName(), e);
    }
  }

  /**
   * {@code arg} (an argument or a variable's value) with a ConfigMap mount path replaced by the
   * ConfigMap's files on disk.
   */
  private String mounted(Pod pod, Container main, Path dir, String arg) throws IOException {
    for (VolumeMount mount : main.getVolumeMounts()) {
      if (!arg.startsWith(mount.getMountPath() + "/")) {
        continue;
      }
      Volume volume =
          pod.getSpec().getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()) && v.getConfigMap() != null)
              .findFirst()
              .orElse(null);
      if (volume == null) {
        continue;
      }
      ConfigMap configMap =
          client
              .configMaps()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(volume.getConfigMap().getName())
              .get();
      Path files = Files.createDirectories(dir.resolve(mount.getName()));
      for (Map.Entry<String, String> file : configMap.getData().entrySet()) {
        Files.writeString(files.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
      }
      return files + arg.substring(mount.getMountPath().length());
    }
    return arg;
  }

  private void ended(String namespace, String name, String uid, Process process) {
    int code = process.exitValue();
    setStatus(
        namespace,
        name,
        uid,
        new PodStatusBuilder()
            .withPhase(code == 0 ? "Succeeded" : "Failed")
            .withPodIP("127.0.0.1")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(LaunchContract.CONTAINER)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(code)
                    .withReason(code == 0 ? "Completed" : "Error")
                    .endTerminated()
                    .endState()
                    .build())
            .build());
  }

  private static PodStatus running() {
    String now = Instant.now().toString();
    return new PodStatusBuilder()
        .withPhase("Running")
        .withPodIP("127.0.0.1")
        .withStartTime(now)
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName(LaunchContract.CONTAINER)
                .withReady(true)
                .withNewState()
                .withNewRunning()
                .withStartedAt(now)
                .endRunning()
                .endState()
                .build())
        .build();
  }

  /** Sets the status of pod {@code name} if it is still the pod {@code uid}, not a successor. */
  private void setStatus(String namespace, String name, String uid, PodStatus status) {
    Pod current = client.pods().inNamespace(namespace).withName(name).get();
    if (current == null || !uid.equals(current.getMetadata().getUid())) {
      return;
    }
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            p -> {
              p.setStatus(status);
              return p;
            });
  }

  private void kill(String uid) {
    Launched launched = byUid.get(uid);
    if (launched != null) {
      killTree(launched.process());
    }
  }

  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops watching and kills every process it started. */
  @Override
  public void close() {
    informer.close();
    events.shutdownNow();
    byUid.values().forEach(l -> killTree(l.process()));
    for (Launched l : byUid.values()) {
      try {
        l.process().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** For failure messages: the last lines of a log. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
