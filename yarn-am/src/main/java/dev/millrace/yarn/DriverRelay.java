package dev.millrace.yarn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executors' one address for every driver attempt: a TCP relay in the ApplicationMaster that
 * forwards each executor connection to the current driver's executor endpoint.
 *
 * <p>On YARN a restarted driver lands in a new container, often on another host and port, while the
 * executors, which keep running, were started with one {@code --driver host:port}. Executors
 * already re-register whenever their connection drops; so the relay drops every connection when the
 * driver changes (and refuses connections while there is none), and the executor's next attempt
 * reaches the new driver. The engine needs no change, and no file system is polled.
 */
final class DriverRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DriverRelay.class);

  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile InetSocketAddress target;

  private DriverRelay(ServerSocket server) {
    this.server = server;
  }

  /** A relay listening on a free port of this host, with no driver yet. */
  static DriverRelay start() throws IOException {
    DriverRelay relay = new DriverRelay(new ServerSocket(0));
    Thread acceptor = new Thread(relay::acceptLoop, "driver-relay");
    acceptor.setDaemon(true);
    acceptor.start();
    return relay;
  }

  /** The port executors connect to. */
  int port() {
    return server.getLocalPort();
  }

  /**
   * Forwards new connections to {@code driver} ({@code null}: none, refuse them) and ends the open
   * ones, so that their executors re-register with it.
   */
  void retarget(InetSocketAddress driver) {
    target = driver;
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    LOG.info("executors are relayed to the driver at {}", driver);
  }

  @Override
  public void close() {
    closeQuietly(server);
    retarget(null);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket executor;
      try {
        executor = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      InetSocketAddress driver = target;
      if (driver == null) {
        closeQuietly(executor);
        continue;
      }
      try {
        Socket upstream = new Socket();
        upstream.connect(driver, 5_000);
        executor.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        open.add(executor);
        open.add(upstream);
        pump(executor, upstream);
        pump(upstream, executor);
      } catch (IOException e) {
        LOG.debug("cannot reach the driver at {}: {}", driver, e.toString());
        closeQuietly(executor);
      }
    }
  }

  /** Copies {@code from} to {@code to} until either ends, then closes both. */
  private void pump(Socket from, Socket to) {
    Thread copier =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // One side closed: end the other too.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "driver-relay-" + from.getPort());
    copier.setDaemon(true);
    copier.start();
  }

  private void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Already closed.
    }
    if (closeable instanceof Socket socket) {
      open.remove(socket);
    }
  }
}
