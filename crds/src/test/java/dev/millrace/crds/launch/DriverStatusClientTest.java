package dev.millrace.crds.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DriverStatusClientTest {
  private final DriverStatusClient client = new DriverStatusClient(Duration.ofMillis(500));
  private HttpServer server;

  private String serve(HttpHandler status) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(DriverStatusClient.STATUS_PATH, status);
    server.start();
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aDriverThatAnswersIsReadIntoAReport() throws IOException {
    DriverStatusReport report = DriverStatusReportTest.running();
    String address = serve(exchange -> answer(exchange, 200, report.toJson()));
    assertEquals(Optional.of(report), client.poll(address));
  }

  @Test
  void noDriverListeningIsEmptyNotAnException() throws IOException {
    int free;
    try (ServerSocket probe = new ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    assertEquals(Optional.empty(), client.poll("127.0.0.1:" + free));
  }

  @Test
  void anErrorOrSomethingThatIsNoReportIsEmpty() throws IOException {
    String failing = serve(exchange -> answer(exchange, 500, "{}"));
    assertEquals(Optional.empty(), client.poll(failing));
    server.stop(0);
    String other = serve(exchange -> answer(exchange, 200, "<html>hello</html>"));
    assertEquals(Optional.empty(), client.poll(other));
  }

  @Test
  void aDriverThatDoesNotAnswerInTimeIsEmptyAfterTheTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    String hung =
        serve(
            exchange -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              answer(exchange, 200, DriverStatusReportTest.running().toJson());
            });
    long start = System.nanoTime();
    try {
      assertEquals(Optional.empty(), client.poll(hung));
    } finally {
      release.countDown();
    }
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(tookMs >= 400 && tookMs < 5_000, "the poll took " + tookMs + " ms");
  }
}
