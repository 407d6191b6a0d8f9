package dev.millrace.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The operator as it ships ({@code dev.millrace.operator.OperatorMain} on the operator jar and its
 * {@code target/lib}, as docker/operator.Dockerfile runs it) in a JVM of its own, pointed at the
 * mock API server; its heap is read over JMX through the attach API.
 */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final int monitoringPort;

  private OperatorProcess(Process process, int monitoringPort) {
    this.process = process;
    this.monitoringPort = monitoringPort;
  }

  /** Starts the operator on {@code classpath} against {@code masterUrl}, logging to {@code log}. */
  static OperatorProcess start(String classpath, String masterUrl, Path log) throws IOException {
    int port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dkubernetes.master=" + masterUrl,
                    "-Dkubernetes.auth.tryKubeConfig=false",
                    "-Dkubernetes.auth.tryServiceAccount=false",
                    // The mock server leaves a request unanswered when its dispatcher fails.
                    "-Dkubernetes.request.timeout=5000",
                    "-cp",
                    classpath,
                    "dev.millrace.operator.OperatorMain"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("MILLRACE_MONITORING_PORT", String.valueOf(port));
    builder.environment().remove("MILLRACE_WATCH_NAMESPACES");
    builder.environment().remove("MILLRACE_LEADER_ELECTION_NAMESPACE");
    return new OperatorProcess(builder.start(), port);
  }

  /** Waits until the operator's {@code /readyz} answers 200. */
  void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitoringPort + "/readyz"))
            .timeout(Duration.ofSeconds(1))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + " before it was ready");
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the operator was not ready after " + timeout);
  }

  /** Heap in use in the operator's JVM right after a full collection ({@code System.gc()}). */
  long heapUsedAfterGc() throws Exception {
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(process.pid()));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
      MemoryMXBean memory =
          ManagementFactory.newPlatformMXBeanProxy(
              connector.getMBeanServerConnection(),
              ManagementFactory.MEMORY_MXBEAN_NAME,
              MemoryMXBean.class);
      memory.gc();
      return memory.getHeapMemoryUsage().getUsed();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
