package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ApplicationMaster's endpoint on a real port, without YARN. */
class AmEndpointTest {
  private final AtomicInteger stops = new AtomicInteger();
  private final StopToken token = StopToken.generate();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<Optional<String>> status = new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<String>> driver = new AtomicReference<>(Optional.empty());
  private AmEndpoint endpoint;

  @AfterEach
  void close() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @Test
  void aStopWithoutTheTokenIsRefusedWith401AndSaysWhatToRun() throws Exception {
    start(Optional.of(token));

    HttpResponse<String> response = stop(null);

    assertEquals(401, response.statusCode());
    assertEquals(
        "Bearer realm=\"millrace\"", response.headers().firstValue("WWW-Authenticate").get());
    assertTrue(response.body().contains("millrace stop <application id>"), response.body());
    assertTrue(response.body().contains("yarn application -kill"), response.body());
    assertEquals(0, stops.get(), "the application was asked to stop");
  }

  @Test
  void aStopWithAnotherTokenIsRefusedWith403() throws Exception {
    start(Optional.of(token));

    HttpResponse<String> response = stop(StopToken.generate().value());

    assertEquals(403, response.statusCode());
    assertTrue(response.body().contains("it presented another"), response.body());
    assertEquals(401, stop(null, "Basic " + token.value()).statusCode());
    assertEquals(0, stops.get(), "the application was asked to stop");
  }

  @Test
  void aStopWithTheTokenStopsGracefully() throws Exception {
    start(Optional.of(token));

    HttpResponse<String> response = stop(token.value());

    assertEquals(202, response.statusCode());
    assertEquals("stopping gracefully\n", response.body());
    assertEquals(1, stops.get());
  }

  @Test
  void anApplicationMasterGivenNoTokenRefusesEveryStop() throws Exception {
    start(Optional.empty());

    HttpResponse<String> response = stop(token.value());

    assertEquals(403, response.statusCode());
    assertTrue(response.body().contains("was given none"), response.body());
    assertEquals(0, stops.get());
  }

  @Test
  void whatItReportsNeedsNoToken() throws Exception {
    start(Optional.of(token));

    HttpResponse<String> supervisor = get("/supervisor");

    assertEquals(200, supervisor.statusCode());
    assertEquals("Running, driver attempt 1\n", supervisor.body());
  }

  @Test
  void theStatusIsServedOnceThereIsOneWithoutAToken() throws Exception {
    start(Optional.of(token));
    assertEquals(503, get("/status").statusCode());

    status.set(Optional.of("phase: Running\n"));
    HttpResponse<String> served = get("/status");

    assertEquals(200, served.statusCode());
    assertEquals("phase: Running\n", served.body());
  }

  private void start(Optional<StopToken> stopToken) throws IOException {
    endpoint =
        AmEndpoint.start(
            stops::incrementAndGet,
            stopToken,
            driver::get,
            () -> "Running, driver attempt 1",
            status::get);
  }

  @Test
  void theDriversPagesAreRelayedUnderDriverWithTheirStatusContentTypeAndQuery() throws Exception {
    AtomicReference<String> asked = new AtomicReference<>();
    HttpServer fakeDriver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fakeDriver.createContext(
        "/",
        exchange -> {
          try (exchange) {
            asked.set(exchange.getRequestURI().toString());
            boolean metrics = exchange.getRequestURI().getPath().equals("/metrics");
            byte[] body = (metrics ? "millrace_batches_completed_total 3.0\n" : "no\n").getBytes();
            exchange
                .getResponseHeaders()
                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(metrics ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    fakeDriver.start();
    try {
      start(Optional.of(token));
      driver.set(Optional.of("127.0.0.1:" + fakeDriver.getAddress().getPort()));

      HttpResponse<String> metrics = get("/driver/metrics?name=millrace_batches");

      assertEquals(200, metrics.statusCode());
      assertEquals("millrace_batches_completed_total 3.0\n", metrics.body());
      assertEquals(
          "text/plain; version=0.0.4; charset=utf-8",
          metrics.headers().firstValue("Content-Type").orElseThrow());
      assertEquals("/metrics?name=millrace_batches", asked.get());
      assertEquals(404, get("/driver/no-such-page").statusCode());
    } finally {
      fakeDriver.stop(0);
    }
  }

  @Test
  void aBrowserAtTheRootIsSentRelativelyToTheRelayedDriverAndAProgramToTheDriversStatus()
      throws Exception {
    start(Optional.of(token));
    driver.set(Optional.of("10.0.0.7:4040"));

    HttpResponse<String> browser =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/"))
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> program = get("/");

    assertEquals(303, browser.statusCode());
    assertEquals("driver/", browser.headers().firstValue("Location").orElseThrow());
    assertEquals(307, program.statusCode());
    assertEquals(
        "http://10.0.0.7:4040/api/v1/status",
        program.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void withoutADriverTheRelayAnswers503AndWithADeadOne502NamingIt() throws Exception {
    start(Optional.of(token));

    HttpResponse<String> none = get("/driver/metrics");
    assertEquals(503, none.statusCode());
    assertTrue(none.body().contains("Running, driver attempt 1"), none.body());

    int closed;
    try (ServerSocket probe = new ServerSocket(0)) {
      closed = probe.getLocalPort();
    }
    driver.set(Optional.of("127.0.0.1:" + closed));
    HttpResponse<String> dead = get("/driver/metrics");
    assertEquals(502, dead.statusCode());
    assertTrue(dead.body().contains("the driver at 127.0.0.1:" + closed), dead.body());
  }

  private HttpResponse<String> stop(String token) throws Exception {
    return stop(token, token == null ? null : "Bearer " + token);
  }

  private HttpResponse<String> stop(String token, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/stop"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
