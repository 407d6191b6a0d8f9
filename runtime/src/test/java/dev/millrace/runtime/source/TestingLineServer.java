package dev.millrace.runtime.source;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP server on a free loopback port that a socket source connects to: it accepts the first
 * connection when a test first sends, and closing it is how a test cuts a receiver off for good.
 */
final class TestingLineServer implements AutoCloseable {
  static final String LOOPBACK = "127.0.0.1";

  private final ServerSocket server;
  private Socket connection;
  private OutputStream out;

  TestingLineServer() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
    server.setSoTimeout(10_000);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Sends {@code text} as UTF-8, accepting the source's connection first if needed. */
  void send(String text) throws IOException {
    if (connection == null) {
      connection = server.accept();
      out = connection.getOutputStream();
    }
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (connection != null) {
      connection.close();
    }
    server.close();
  }
}
