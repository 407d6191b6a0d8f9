package dev.millrace.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.operator.TestingCluster;
import dev.millrace.operator.resource.AppNames;
import dev.millrace.operator.resource.LaunchContract;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's part, without processes: every pod the operator creates is marked Running at once by
 * writing its status, as a kubelet would once its containers started, with an address of its own in
 * 127.0.0.0/8; a driver's status endpoint on that address ({@link LaunchContract#HTTP_PORT})
 * answers that its attempt completed a batch. {@link #fail} ends a pod with exit 1. No driver or
 * executor process runs: this measures the operator, not the engine.
 *
 * <p>The pods' addresses differ so that one HTTP server on the wildcard address can tell, by the
 * address a request was sent to, which driver the operator asked for.
 */
final class SimulatedKubelet implements AutoCloseable {
  private final TestingCluster cluster;
  private final String namespace;
  private final Watch watch;
  private final HttpServer statusServer;
  private final ExecutorService nodes = Executors.newFixedThreadPool(4);
  private final AtomicInteger addresses = new AtomicInteger();
  private final Map<String, Long> createdAtNanos = new ConcurrentHashMap<>();
  private final Map<String, DriverStatusReport> reportsByAddress = new ConcurrentHashMap<>();
  private final Map<String, Pod> running = new ConcurrentHashMap<>();

  /** Watches the pods of {@code namespace} and serves the drivers' status endpoint. */
  SimulatedKubelet(TestingCluster cluster, String namespace) throws IOException {
    this.cluster = cluster;
    this.namespace = namespace;
    try {
      statusServer = HttpServer.create(new InetSocketAddress(LaunchContract.HTTP_PORT), 100);
    } catch (IOException e) {
      throw new IOException(
          "port "
              + LaunchContract.HTTP_PORT
              + " (the drivers' status port, which the operator polls) is taken on this machine;"
              + " free it to run the operator benchmark",
          e);
    }
    statusServer.createContext(
        dev.millrace.crds.launch.DriverStatusClient.STATUS_PATH, this::answerStatus);
    statusServer.setExecutor(Executors.newFixedThreadPool(2));
    statusServer.start();
    watch =
        cluster
            .client()
            .pods()
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.ADDED) {
                      // Stamped on the watch thread, before anything is queued behind it.
                      createdAtNanos.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
                      nodes.execute(() -> start(pod));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  /** When this kubelet saw pod {@code name} created ({@link System#nanoTime()}), or null. */
  Long createdAtNanos(String name) {
    return createdAtNanos.get(name);
  }

  /** Whether pod {@code name} has been marked Running. */
  boolean running(String name) {
    return running.containsKey(name);
  }

  /**
   * Ends running pod {@code name} with exit 1; returns the {@link System#nanoTime()} just before
   * the status write was sent.
   */
  long fail(String name) {
    Pod pod = running.remove(name);
    if (pod == null) {
      throw new IllegalStateException("pod " + name + " is not running");
    }
    pod.setStatus(
        new PodStatusBuilder(pod.getStatus())
            .withPhase("Failed")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(LaunchContract.CONTAINER)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(1)
                    .withReason("Error")
                    .withFinishedAt(Instant.now().toString())
                    .endTerminated()
                    .endState()
                    .build())
            .build());
    // One request: the pod as this kubelet last wrote it carries its resourceVersion.
    long before = System.nanoTime();
    cluster.client().resource(pod).updateStatus();
    return before;
  }

  private void start(Pod pod) {
    int n = addresses.incrementAndGet();
    String address = "127.1." + (n / 250) + "." + (n % 250 + 1);
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (AppNames.DRIVER_ROLE.equals(labels.get(AppNames.ROLE_LABEL))) {
      long now = System.currentTimeMillis();
      reportsByAddress.put(
          address,
          new DriverStatusReport(
              labels.get(AppNames.APP_LABEL),
              Integer.parseInt(labels.get(AppNames.ATTEMPT_LABEL)),
              "RUNNING",
              now,
              now,
              5L,
              1L,
              6L,
              1,
              10,
              10.0,
              null,
              0,
              List.of()));
    }
    try {
      running.put(
          pod.getMetadata().getName(),
          cluster.run(namespace, pod.getMetadata().getName(), address));
    } catch (RuntimeException e) {
      // Deleted meanwhile: nothing to run.
    }
  }

  private void answerStatus(HttpExchange exchange) throws IOException {
    try (exchange) {
      DriverStatusReport report =
          reportsByAddress.get(exchange.getLocalAddress().getAddress().getHostAddress());
      if (report == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = report.toJson().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    watch.close();
    statusServer.stop(0);
    ((ExecutorService) statusServer.getExecutor()).shutdownNow();
    nodes.shutdownNow();
    try {
      nodes.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
