package dev.millrace.runtime.driver;

import com.sun.net.httpserver.HttpExchange;
import dev.millrace.crds.http.BoundedHttpServer;
import dev.millrace.crds.launch.DriverState;
import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.runtime.metrics.DriverMetrics;
import dev.millrace.runtime.ui.WebResponse;
import dev.millrace.runtime.ui.WebUi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's HTTP endpoint, on the address its backend chose ({@code --bind-address}): {@code GET
 * /healthz} answers 200 {@code ok} while the driver is starting or running and 503 otherwise;
 * {@code GET /api/v1/status} answers the {@link DriverStatusTracker} report as JSON; {@code GET
 * /metrics} answers the {@link DriverMetrics} in Prometheus's text format; every other path goes to
 * the {@link WebUi} (pages and the rest of {@code /api/v1/}), if there is one, else is 404. A slow
 * or hostile client cannot keep it from answering the supervisor's polls: see {@link
 * BoundedHttpServer}.
 */
final class StatusServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);

  /** Where Prometheus scrapes the driver's metrics. */
  static final String METRICS_PATH = "/metrics";

  private final BoundedHttpServer server;

  private StatusServer(BoundedHttpServer server) {
    this.server = server;
  }

  /**
   * Serves {@code status} on {@code address}, port 0 for a free one.
   *
   * @throws IOException if the address cannot be bound
   */
  static StatusServer start(
      InetSocketAddress address, DriverStatusTracker status, DriverMetrics metrics)
      throws IOException {
    return start(address, status, metrics, null);
  }

  /**
   * Serves {@code status} and the web UI {@code ui} (none if null) on {@code address}, port 0 for a
   * free one.
   *
   * @throws IOException if the address cannot be bound
   */
  static StatusServer start(
      InetSocketAddress address, DriverStatusTracker status, DriverMetrics metrics, WebUi ui)
      throws IOException {
    return new StatusServer(
        BoundedHttpServer.bind(address, "millrace-status-http")
            .handle("/", exchange -> answer(exchange, status, metrics, ui))
            .start());
  }

  private static void answer(
      HttpExchange exchange, DriverStatusTracker status, DriverMetrics metrics, WebUi ui)
      throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 404, "text/plain", "not found\n");
      } else if (path.equals(DriverStatusClient.HEALTH_PATH)) {
        DriverState state = status.state();
        send(
            exchange,
            state.isHealthy() ? 200 : 503,
            "text/plain",
            state.isHealthy() ? "ok\n" : state.name().toLowerCase(Locale.ROOT) + "\n");
      } else if (path.equals(DriverStatusClient.STATUS_PATH)) {
        send(exchange, 200, "application/json", status.report().toJson());
      } else if (path.equals(METRICS_PATH)) {
        metrics.answer(exchange);
      } else {
        Optional<WebResponse> page =
            ui == null ? Optional.empty() : ui.answer(path, exchange.getRequestURI().getRawQuery());
        if (page.isPresent()) {
          send(exchange, page.get());
        } else {
          send(exchange, 404, "text/plain", "not found\n");
        }
      }
    } catch (IOException | RuntimeException e) {
      // A client that hung up is its own problem; the driver serves the next one.
      LOG.debug("answering {} failed: {}", exchange.getRequestURI(), e.toString());
    }
  }

  private static void send(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void send(HttpExchange exchange, WebResponse response) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.sendResponseHeaders(response.code(), response.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response.body());
    }
  }

  /** The port the endpoint listens on. */
  int port() {
    return server.port();
  }

  /** The address and port the endpoint listens on. */
  InetSocketAddress address() {
    return server.address();
  }

  /** Stops serving at once. */
  @Override
  public void close() {
    // A poll cut short reads as "no status" to a supervisor: the truth of a driver about to exit.
    server.close();
  }
}
