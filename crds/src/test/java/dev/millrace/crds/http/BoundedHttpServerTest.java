package dev.millrace.crds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real server and real sockets: clients that send half a request hold at most {@link
 * BoundedHttpServer#MAX_THREADS} threads, and the server answers again once they go. (The time
 * limits that cut such clients are per JVM and are checked on a real driver process, in the
 * runtime's {@code DriverProcessTest}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BoundedHttpServerTest {
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();
  private final List<Socket> slow = new ArrayList<>();
  private BoundedHttpServer server;

  @AfterEach
  void close() throws IOException {
    for (Socket socket : slow) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private int serve() throws IOException {
    server =
        BoundedHttpServer.bind(new InetSocketAddress("127.0.0.1", 0), "test-http")
            .handle(
                "/",
                exchange -> {
                  try (exchange) {
                    byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                      out.write(body);
                    }
                  }
                })
            .start();
    return server.port();
  }

  /** Opens a connection that sends a request line and one header, and never the end of it. */
  private Socket halfARequest(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    slow.add(socket);
    socket
        .getOutputStream()
        .write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private HttpResponse<String> get(int port) throws IOException, InterruptedException {
    return http.send(
        java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(CLIENT_TIMEOUT)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix))
        .count();
  }

  @Test
  void clientsThatNeverFinishTheirRequestHoldAtMostItsThreadsAndTheNextIsRefusedNotQueued()
      throws Exception {
    int port = serve();
    for (int i = 0; i < BoundedHttpServer.MAX_THREADS; i++) {
      halfARequest(port);
    }
    awaitThreads(BoundedHttpServer.MAX_THREADS);

    // One more, even one that would finish its request, finds every thread taken: it is closed,
    // not parked behind the others where it would wait as long as they hold on.
    IOException refused = assertThrows(IOException.class, () -> get(port));
    Socket extra = halfARequest(port);
    extra.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
    assertEquals(-1, readToEnd(extra.getInputStream()), "the server closes a refused connection");
    assertEquals(BoundedHttpServer.MAX_THREADS, threadsNamed("test-http-"), refused.toString());

    // The slow clients give up: their threads are free again, and a request is answered.
    for (Socket socket : slow) {
      socket.close();
    }
    slow.clear();
    awaitAnswer(port);
  }

  @Test
  void aFewClientsThatNeverFinishTheirRequestKeepNobodyElseWaiting() throws Exception {
    int port = serve();
    for (int i = 0; i < 3; i++) {
      halfARequest(port);
    }
    HttpResponse<String> answer = get(port);
    assertEquals(200, answer.statusCode());
    assertEquals("ok\n", answer.body());
  }

  private static int readToEnd(InputStream in) throws IOException {
    try {
      int b;
      do {
        b = in.read();
      } while (b != -1);
      return b;
    } catch (java.net.SocketException reset) {
      return -1; // a reset is a close too
    }
  }

  private void awaitThreads(int count) throws InterruptedException {
    long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
    while (threadsNamed("test-http-") < count) {
      if (System.nanoTime() > deadline) {
        fail("only " + threadsNamed("test-http-") + " of " + count + " threads took a request");
      }
      Thread.sleep(20);
    }
  }

  private void awaitAnswer(int port) throws InterruptedException {
    long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try {
        assertEquals(200, get(port).statusCode());
        return;
      } catch (IOException e) {
        last = e; // refused while the freed threads end their exchanges
        Thread.sleep(50);
      }
    }
    fail("the server never answered again after the slow clients left: " + last);
  }
}
