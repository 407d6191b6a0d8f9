package dev.millrace.runtime.metrics;

import com.sun.net.httpserver.HttpExchange;
import dev.millrace.crds.http.BoundedHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor's metrics endpoint: {@code GET /metrics} answers its {@link ExecutorMetrics} in
 * Prometheus's text format, anything else 404, on a {@link BoundedHttpServer} that slow clients
 * cannot take down.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

  /** Where Prometheus scrapes. */
  public static final String PATH = "/metrics";

  private final BoundedHttpServer server;

  private MetricsServer(BoundedHttpServer server) {
    this.server = server;
  }

  /**
   * Serves {@code metrics} on {@code address}, port 0 for a free one.
   *
   * @throws IOException if the address cannot be bound
   */
  public static MetricsServer start(InetSocketAddress address, ServedMetrics metrics)
      throws IOException {
    return new MetricsServer(
        BoundedHttpServer.bind(address, "millrace-metrics-http")
            .handle("/", exchange -> answer(exchange, metrics))
            .start());
  }

  private static void answer(HttpExchange exchange, ServedMetrics metrics) {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          || !exchange.getRequestURI().getPath().equals(PATH)) {
        byte[] body = "not found\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
        return;
      }
      metrics.answer(exchange);
    } catch (IOException | RuntimeException e) {
      // A client that hung up is its own problem; the executor serves the next one.
      LOG.debug("answering {} failed: {}", exchange.getRequestURI(), e.toString());
    }
  }

  /** The port the endpoint listens on. */
  public int port() {
    return server.port();
  }

  /** Stops serving at once. */
  @Override
  public void close() {
    server.close();
  }
}
