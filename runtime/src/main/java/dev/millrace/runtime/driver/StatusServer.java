package dev.millrace.runtime.driver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's HTTP endpoint, on the address its backend chose ({@code --bind-address}): {@code GET
 * /healthz} answers 200 {@code ok} while the driver is starting or running and 503 otherwise;
 * {@code GET /api/v1/status} answers the {@link DriverStatusTracker} report as JSON; {@code GET
 * /metrics} answers the {@link DriverMetrics} in Prometheus's text format; every other path goes to
 * the {@link WebUi} (pages and the rest of {@code /api/v1/}), if there is one, else is 404.
 */
final class StatusServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
  private static final int THREADS = 2;

  /** Where Prometheus scrapes the driver's metrics. */
  static final String METRICS_PATH = "/metrics";

  private final HttpServer server;
  private final ExecutorService threads;

  private StatusServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
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
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger ids = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "millrace-status-http-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/", exchange -> answer(exchange, status, metrics, ui));
    server.start();
    return new StatusServer(server, threads);
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
    return server.getAddress().getPort();
  }

  /** The address and port the endpoint listens on. */
  InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops serving at once. */
  @Override
  public void close() {
    // Java 17's HttpServer waits out the whole delay given to stop() even when idle; a poll cut
    // short reads as "no status" to a supervisor, which is the truth of a driver about to exit.
    server.stop(0);
    threads.shutdownNow();
  }
}
