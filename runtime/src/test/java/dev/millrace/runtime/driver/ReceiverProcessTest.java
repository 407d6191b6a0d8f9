package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.InputReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real driver reading a real TCP server that sends a line far too long for the driver's heap:
 * with the line bound the receiver drops it and reads on; without it the receiver runs out of
 * memory, starts again, and when it keeps failing stops the driver with the cause, instead of the
 * input going quiet for ever while the driver looks healthy.
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReceiverProcessTest {
  private static final long TIMEOUT_MS = 60_000;
  private static final int HUNDRED_MEGABYTES = 100 << 20;

  // Kept when a test fails, with the driver's log, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  @Test
  void aHundredMegabyteLineIsDroppedWithAWarningAndTheLinesAroundItArrive() throws Exception {
    Path out = Files.createDirectories(work.resolve("out"));
    try (ServerSocket server = listen();
        TestingDriverJvm driver = start(server, out, "384m", new String[0])) {
      String address = driver.awaitAddress(work.resolve("address"));
      try (Socket connection = accept(server)) {
        OutputStream to = connection.getOutputStream();
        to.write("before\n".getBytes(StandardCharsets.UTF_8));
        sendLineOf(to, HUNDRED_MEGABYTES);
        to.write("after\n".getBytes(StandardCharsets.UTF_8));
        to.flush();

        DriverStatusReport read =
            driver.awaitStatus(
                address, r -> !r.inputs().isEmpty() && r.inputs().get(0).linesDropped() == 1);
        InputReport input = read.inputs().get(0);
        assertEquals("127.0.0.1:" + server.getLocalPort(), input.source());
        assertEquals(Boolean.TRUE, input.connected());
        assertTrue(input.bytesReceived() > HUNDRED_MEGABYTES, input.toString());
        assertEquals(0, input.receiverRestarts(), input.toString());
        awaitSaved(driver, out, List.of("before", "after"));
        assertTrue(driver.isAlive());
        assertTrue(
            driver.log().contains("longer than millrace.receiver.max-line-bytes=1048576 bytes"),
            driver.log());
      }
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  @Test
  void aReceiverThatKeepsRunningOutOfMemoryStopsTheDriverWithTheCauseAndExitCode1()
      throws Exception {
    Path out = Files.createDirectories(work.resolve("out"));
    try (ServerSocket server = listen();
        TestingDriverJvm driver =
            start(
                server,
                out,
                "128m",
                new String[] {
                  "millrace.receiver.max-line-bytes",
                  String.valueOf(Integer.MAX_VALUE),
                  "millrace.receiver.max-restarts",
                  "2"
                })) {
      String address = driver.awaitAddress(work.resolve("address"));
      List<Socket> connections = new ArrayList<>();
      try {
        // Every connection the receiver opens gets a line no 128 MiB heap can hold.
        while (driver.isAlive() && connections.size() < 10) {
          Socket connection = acceptWhileAlive(server, driver);
          if (connection == null) {
            break;
          }
          connections.add(connection);
          try {
            sendLineOf(connection.getOutputStream(), HUNDRED_MEGABYTES);
          } catch (IOException e) {
            // The receiver failed and closed the connection before the line was through.
          }
        }
        int code = driver.awaitExit(TIMEOUT_MS);

        assertEquals(1, code, driver.log());
        assertEquals(3, connections.size(), "the first start and two restarts\n" + driver.log());
        String log = driver.log();
        assertTrue(log.contains("java.lang.OutOfMemoryError"), log);
        assertTrue(log.contains("starting it again in 500 ms"), log);
        assertTrue(log.contains("more than millrace.receiver.max-restarts=2 allows"), log);
        assertTrue(log.contains("The driver stops so that its supervisor restarts it"), log);
      } finally {
        for (Socket connection : connections) {
          connection.close();
        }
      }
      assertTrue(address.startsWith("127.0.0.1:"), address);
    }
  }

  private TestingDriverJvm start(ServerSocket server, Path out, String heap, String[] conf) {
    TestingSpec spec =
        new TestingSpec("socket-lines", work.resolve("checkpoint").toUri().toString())
            .mainClass(TestingSocketLinesApplication.class.getName())
            .args("127.0.0.1", String.valueOf(server.getLocalPort()), out.toString());
    for (int i = 0; i < conf.length; i += 2) {
      spec.conf(conf[i], conf[i + 1]);
    }
    Path specFile = spec.writeTo(work.resolve("socket-lines.yaml"));
    return TestingDriverJvm.start(
        System.getProperty("java.class.path"),
        List.of("-Xmx" + heap),
        work.resolve("driver.log"),
        List.of(
            "--spec",
            specFile.toString(),
            "--attempt",
            "1",
            "--address-file",
            work.resolve("address").toString()));
  }

  private static ServerSocket listen() throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return server;
  }

  private static Socket accept(ServerSocket server) throws IOException {
    server.setSoTimeout((int) TIMEOUT_MS);
    return server.accept();
  }

  /** The next connection, or null once the driver has exited without opening one. */
  private static Socket acceptWhileAlive(ServerSocket server, TestingDriverJvm driver)
      throws IOException {
    server.setSoTimeout(200);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      try {
        return server.accept();
      } catch (java.net.SocketTimeoutException e) {
        if (!driver.isAlive()) {
          return null;
        }
      }
    }
    return null;
  }

  /** Sends {@code bytes} bytes of one line, without its newline. */
  private static void sendLineOf(OutputStream to, int bytes) throws IOException {
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 'x');
    for (int sent = 0; sent < bytes; sent += chunk.length) {
      to.write(chunk, 0, Math.min(chunk.length, bytes - sent));
    }
    to.write('\n');
    to.flush();
  }

  private static void awaitSaved(TestingDriverJvm driver, Path out, List<String> expected)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    List<String> saved = saved(out);
    while (!saved.equals(expected)) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("saved " + saved + ", not " + expected + "\n" + driver.log());
      }
      Thread.sleep(50);
      saved = saved(out);
    }
  }

  /** Every line of every completed batch, in batch order. */
  private static List<String> saved(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(out)) {
      for (Path dir :
          dirs.filter(d -> Files.exists(d.resolve("_SUCCESS")))
              .sorted(
                  (a, b) -> Long.compare(batchTime(a.getFileName()), batchTime(b.getFileName())))
              .toList()) {
        try (Stream<Path> parts = Files.list(dir)) {
          for (Path part :
              parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
            lines.addAll(Files.readAllLines(part));
          }
        }
      }
    }
    return lines;
  }

  private static long batchTime(Path name) {
    String s = name.toString();
    return Long.parseLong(s.substring(s.indexOf('-') + 1, s.indexOf('.')));
  }
}
