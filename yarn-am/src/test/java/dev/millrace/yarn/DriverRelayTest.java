package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DriverRelayTest {
  @Test
  void anExecutorsConnectionReachesTheCurrentDriver() throws IOException {
    try (DriverRelay relay = DriverRelay.start();
        TestingDriverEndpoint driver = new TestingDriverEndpoint('a')) {
      relay.retarget(driver.address());

      try (Socket executor = new Socket("localhost", relay.port())) {
        assertEquals('a', ask(executor));
      }
    }
  }

  @Test
  void anotherDriverEndsTheOpenConnectionsAndTheNextOneReachesIt() throws IOException {
    try (DriverRelay relay = DriverRelay.start();
        TestingDriverEndpoint first = new TestingDriverEndpoint('1');
        TestingDriverEndpoint second = new TestingDriverEndpoint('2')) {
      relay.retarget(first.address());
      try (Socket executor = new Socket("localhost", relay.port())) {
        assertEquals('1', ask(executor));

        relay.retarget(second.address());

        assertEquals(-1, executor.getInputStream().read(), "the old connection is closed");
      }
      try (Socket executor = new Socket("localhost", relay.port())) {
        assertEquals('2', ask(executor));
      }
    }
  }

  @Test
  void withoutADriverAConnectionIsClosedAtOnce() throws IOException {
    try (DriverRelay relay = DriverRelay.start();
        Socket executor = new Socket("localhost", relay.port())) {
      assertEquals(-1, executor.getInputStream().read());
    }
  }

  /** Sends a byte and returns the driver's answer. */
  private static int ask(Socket executor) throws IOException {
    OutputStream out = executor.getOutputStream();
    out.write('?');
    out.flush();
    return executor.getInputStream().read();
  }

  /** A driver's executor endpoint that answers every byte with its own name. */
  private static final class TestingDriverEndpoint implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0);

    TestingDriverEndpoint(char name) throws IOException {
      Thread thread =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket socket = server.accept();
                    Thread reply =
                        new Thread(
                            () -> {
                              try (socket;
                                  InputStream in = socket.getInputStream();
                                  OutputStream out = socket.getOutputStream()) {
                                while (in.read() >= 0) {
                                  out.write(name);
                                  out.flush();
                                }
                              } catch (IOException e) {
                                // The relay closed it.
                              }
                            });
                    reply.setDaemon(true);
                    reply.start();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress("localhost", server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
