package dev.millrace.runtime.driver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy that serves a driver's endpoint under a path prefix, as YARN's web proxy, an
 * ingress or {@code kubectl proxy} do: {@code GET <prefix>x?q} is {@code GET /x?q} of the driver,
 * and nothing outside the prefix is served. Only GET, whole answers, for the UI's tests.
 */
final class TestingPrefixProxy implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;
  private final String prefix;

  private TestingPrefixProxy(HttpServer server, ExecutorService threads, String prefix) {
    this.server = server;
    this.threads = threads;
    this.prefix = prefix;
  }

  /**
   * Serves the driver at {@code address} ({@code host:port}) under {@code prefix}, which starts and
   * ends with {@code /}.
   */
  static TestingPrefixProxy start(String prefix, String address) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpClient client = HttpClient.newHttpClient();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    server.setExecutor(threads);
    server.createContext(
        prefix,
        exchange -> {
          try (exchange) {
            forward(exchange, client, prefix, address);
          }
        });
    server.start();
    return new TestingPrefixProxy(server, threads, prefix);
  }

  private static void forward(
      HttpExchange exchange, HttpClient client, String prefix, String address) throws IOException {
    URI uri = exchange.getRequestURI();
    String rest = uri.getRawPath().substring(prefix.length());
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    try {
      HttpResponse<byte[]> answer =
          client.send(
              HttpRequest.newBuilder(URI.create("http://" + address + "/" + rest + query)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      answer
          .headers()
          .firstValue("Content-Type")
          .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
      exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(502, -1);
    }
  }

  /** The proxy's URL of the driver's {@code /}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
