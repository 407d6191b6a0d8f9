package dev.millrace.yarn;

import com.sun.net.httpserver.HttpExchange;
import dev.millrace.crds.http.BoundedHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ApplicationMaster's small HTTP endpoint, its tracking URL:
 *
 * <ul>
 *   <li>{@code GET /} and {@code GET /api/v1/status}: a redirect to the current driver's status
 *       ({@code /api/v1/status} of the driver), or 503 while no driver is up; a browser's {@code
 *       GET /} ({@code Accept: text/html}) is sent relatively to {@value #BROWSER_LANDING}, the
 *       relay below, which works through the ResourceManager's web proxy;
 *   <li>{@code GET /driver/<path>}: the current driver's {@code GET /<path>} (its status, metrics
 *       and UI pages), relayed with its status code and content type, so that the tracking URL
 *       {@code /driver/} shows the driver through the ResourceManager's web proxy whichever
 *       container the driver runs in; 503 while no driver is up, 502 naming the driver when it does
 *       not answer within {@value #RELAY_TIMEOUT_SECONDS} s;
 *   <li>{@code GET /supervisor}: one line, what the Supervisor knows ({@code millrace status});
 *   <li>{@code GET /status}: the StreamingApp status every backend projects, as YAML (conditions,
 *       inputs, batch progress, restarts), or 503 before the first;
 *   <li>{@code POST /stop}: a graceful stop ({@code millrace stop}), for callers that present the
 *       application's {@link StopToken} as {@code Authorization: Bearer <token>}: 401 without one,
 *       403 with another, and the application runs on.
 * </ul>
 *
 * Requests only hand their work to the ApplicationMaster through {@link Listener}.
 */
final class AmEndpoint implements AutoCloseable {
  /** What the endpoint asks of the ApplicationMaster; called on the endpoint's thread. */
  interface Listener {
    /** A graceful stop was requested. */
    void stopRequested();
  }

  private static final String BEARER = "Bearer ";

  /** The path under which the driver's own HTTP endpoint is relayed. */
  static final String DRIVER_PREFIX = "/driver/";

  /** Where {@code GET /} sends a browser: the driver's web UI, relayed. */
  static final String BROWSER_LANDING = "driver/";

  /** How long a relayed request may take before the relay answers 502. */
  static final int RELAY_TIMEOUT_SECONDS = 5;

  /** The most of a driver's answer the relay holds (a page, a metrics scrape). */
  private static final int RELAY_MAX_BYTES = 16 << 20;

  private static final HttpClient RELAY =
      HttpClient.newBuilder()
          .connectTimeout(java.time.Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private static final String REFUSED =
      "refused: POST /stop needs the application's stop token (Authorization: Bearer <token>),"
          + " which 'millrace stop <application id>' run by the user who submitted the"
          + " application reads from its staging directory; 'yarn application -kill <application"
          + " id>' ends it at once";

  private final BoundedHttpServer server;

  private AmEndpoint(BoundedHttpServer server) {
    this.server = server;
  }

  /**
   * Listens on a free port of all interfaces: the ResourceManager's proxy and {@code millrace
   * status|stop} reach it from other hosts.
   *
   * @param stopToken what a caller of {@code POST /stop} must present; empty refuses every caller
   * @param driverStatus the current driver's status {@code host:port}, if one is up
   * @param supervisor the Supervisor's state in one line
   * @param status the StreamingApp status as YAML, once there is one
   */
  static AmEndpoint start(
      Listener listener,
      Optional<StopToken> stopToken,
      Supplier<Optional<String>> driverStatus,
      Supplier<String> supervisor,
      Supplier<Optional<String>> status)
      throws IOException {
    // Bounded: a client that never finishes its request, or a relay to a driver that hangs, must
    // not keep the proxy and `millrace stop` from the AM.
    BoundedHttpServer server = BoundedHttpServer.bind(new InetSocketAddress(0), "am-endpoint");
    server.handle(
        "/",
        exchange -> {
          try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("/") && wantsPage(exchange)) {
              // A browser, through the ResourceManager's web proxy: a relative redirect keeps the
              // proxy's path prefix, and the relay shows the driver's own answer.
              exchange.getResponseHeaders().add("Location", BROWSER_LANDING);
              reply(exchange, 303, "");
            } else if (method.equals("GET")
                && (path.equals("/") || path.equals("/api/v1/status"))) {
              Optional<String> driver = driverStatus.get();
              if (driver.isEmpty()) {
                reply(exchange, 503, "no driver is up yet: " + supervisor.get() + "\n");
              } else {
                exchange
                    .getResponseHeaders()
                    .add("Location", "http://" + driver.get() + "/api/v1/status");
                reply(exchange, 307, "");
              }
            } else if (method.equals("GET") && path.startsWith(DRIVER_PREFIX)) {
              relay(exchange, driverStatus.get(), supervisor);
            } else if (method.equals("GET") && path.equals("/supervisor")) {
              reply(exchange, 200, supervisor.get() + "\n");
            } else if (method.equals("GET") && path.equals("/status")) {
              Optional<String> yaml = status.get();
              if (yaml.isEmpty()) {
                reply(exchange, 503, "no status yet: " + supervisor.get() + "\n");
              } else {
                reply(exchange, 200, yaml.get());
              }
            } else if (method.equals("POST") && path.equals("/stop")) {
              String authorization = exchange.getRequestHeaders().getFirst("Authorization");
              if (authorization == null || !authorization.startsWith(BEARER)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"millrace\"");
                reply(exchange, 401, REFUSED + "; it presented none\n");
              } else if (stopToken.isEmpty()
                  || !stopToken.get().matches(authorization.substring(BEARER.length()))) {
                reply(
                    exchange,
                    403,
                    REFUSED
                        + (stopToken.isEmpty()
                            ? "; this ApplicationMaster was given none, so it refuses every"
                                + " stop\n"
                            : "; it presented another\n"));
              } else {
                listener.stopRequested();
                reply(exchange, 202, "stopping gracefully\n");
              }
            } else {
              reply(
                  exchange,
                  404,
                  "not found: "
                      + method
                      + " "
                      + path
                      + "; try GET /, GET /driver/, GET /supervisor, GET /status or POST /stop\n");
            }
          }
        });
    server.start();
    return new AmEndpoint(server);
  }

  /** Whether the client asks for a page (a browser), not data. */
  private static boolean wantsPage(HttpExchange exchange) {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    return accept != null && accept.contains("text/html");
  }

  /**
   * Relays {@code exchange}'s {@code GET /driver/<path>?<query>} to {@code driver}'s {@code GET
   * /<path>?<query>}.
   */
  private static void relay(
      HttpExchange exchange, Optional<String> driver, Supplier<String> supervisor)
      throws IOException {
    if (driver.isEmpty()) {
      reply(exchange, 503, "no driver is up yet: " + supervisor.get() + "\n");
      return;
    }
    URI asked = exchange.getRequestURI();
    String target =
        "http://"
            + driver.get()
            + "/"
            + asked.getRawPath().substring(DRIVER_PREFIX.length())
            + (asked.getRawQuery() == null ? "" : "?" + asked.getRawQuery());
    HttpResponse<InputStream> answer;
    try {
      answer =
          RELAY.send(
              HttpRequest.newBuilder(URI.create(target))
                  .timeout(java.time.Duration.ofSeconds(RELAY_TIMEOUT_SECONDS))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException | IllegalArgumentException e) {
      reply(exchange, 502, "the driver at " + driver.get() + " did not answer: " + e + "\n");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(exchange, 502, "interrupted while asking the driver at " + driver.get() + "\n");
      return;
    }
    byte[] body;
    try (InputStream in = answer.body()) {
      body = in.readNBytes(RELAY_MAX_BYTES + 1);
    }
    if (body.length > RELAY_MAX_BYTES) {
      reply(
          exchange,
          502,
          "the driver's answer to " + asked.getPath() + " exceeds " + RELAY_MAX_BYTES + " bytes\n");
      return;
    }
    answer
        .headers()
        .firstValue("Content-Type")
        .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
    exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The port it listens on. */
  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }

  private static void reply(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
