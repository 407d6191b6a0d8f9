package dev.millrace.operator.monitoring;

import com.sun.net.httpserver.HttpHandler;
import dev.millrace.crds.http.BoundedHttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoint for the kubelet and Prometheus, on a {@link BoundedHttpServer} (a
 * client that holds connections open cannot fail the kubelet's probes):
 *
 * <ul>
 *   <li>{@code GET /healthz} (liveness): 200 unless the operator has started and one of its
 *       informers stopped watching, which it does not recover from by itself; 503 names it.
 *   <li>{@code GET /readyz} (readiness): 200 once the operator has started and every informer has
 *       synced and watches; 503 before. A standby replica under leader election is ready too: its
 *       informers run, only its reconciles wait for the Lease.
 *   <li>{@code GET /metrics}: {@link OperatorMetrics#exposition()}.
 * </ul>
 */
public final class MonitoringServer implements AutoCloseable {
  /** The port {@link dev.millrace.operator.OperatorMain} listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 8080;

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

  private final BoundedHttpServer server;

  /**
   * Listens on {@code port} (0 for any free one) on every interface; serves once started.
   *
   * @throws UncheckedIOException if the port is taken
   */
  public MonitoringServer(int port, Operator operator, OperatorMetrics metrics) {
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(metrics, "metrics");
    try {
      server = BoundedHttpServer.bind(new InetSocketAddress(port), "millrace-monitoring");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen for health probes and metrics on port " + port + ": " + e.getMessage(), e);
    }
    server.handle("/healthz", get(() -> liveness(operator)));
    server.handle("/readyz", get(() -> readiness(operator)));
    server.handle("/metrics", get(() -> new Answer(200, PROMETHEUS_TEXT, metrics.exposition())));
  }

  /** Starts serving. */
  public void start() {
    server.start();
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  private static Answer liveness(Operator operator) {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    if (!runtime.isStarted() || runtime.allEventSourcesAreHealthy()) {
      return new Answer(200, PLAIN_TEXT, "ok\n");
    }
    return new Answer(503, PLAIN_TEXT, unhealthy(runtime));
  }

  private static Answer readiness(Operator operator) {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    if (!runtime.isStarted()) {
      return new Answer(503, PLAIN_TEXT, "starting\n");
    }
    if (!runtime.allEventSourcesAreHealthy()) {
      return new Answer(503, PLAIN_TEXT, unhealthy(runtime));
    }
    return new Answer(200, PLAIN_TEXT, "ready\n");
  }

  private static String unhealthy(RuntimeInfo runtime) {
    StringBuilder text = new StringBuilder();
    runtime
        .unhealthyEventSources()
        .forEach(
            (controller, sources) -> {
              for (String source : sources.keySet()) {
                text.append("controller ")
                    .append(controller)
                    .append(": event source ")
                    .append(source)
                    .append(" is not watching\n");
              }
            });
    return text.toString();
  }

  private record Answer(int code, String contentType, String body) {}

  private static HttpHandler get(Supplier<Answer> handler) {
    return exchange -> {
      try (exchange) {
        Answer answer =
            "GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod())
                ? handler.get()
                : new Answer(405, PLAIN_TEXT, "only GET\n");
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(answer.code(), head ? -1 : body.length);
        if (!head) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    };
  }

  /** Stops listening at once. */
  @Override
  public void close() {
    server.close();
  }
}
