package dev.millrace.runtime.driver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.crds.http.BoundedHttpServer;
import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.runtime.executor.TestingExecutorJvm;
import dev.millrace.runtime.transport.ListeningSockets;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code millrace driver} as a backend launches it: a JVM of its own whose class path holds the
 * runtime but not the application, which comes from a jar named in the spec by a {@code file://}
 * URI. A supervisor's view of it is its exit code and its status endpoint, polled with {@link
 * DriverStatusClient} at the address the driver writes to {@code --address-file}.
 */
@Tag("process")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DriverProcessTest {
  private static final long TIMEOUT_MS = 60_000;
  static final int LINES_PER_FILE = 5;
  private static final Pattern OUTPUT = Pattern.compile("(\\w+)-(\\d+)\\.txt");

  // Kept when a test fails, with the drivers' logs, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  @Test
  void aDriverStopsGracefullyOnSigtermAndTheNextAttemptResumesFromItsCheckpoint() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec =
        new TestingSpec("lines", work.resolve("checkpoint").toUri().toString())
            .jar(applicationJar().toUri().toString())
            .args(in.toString(), out.toString())
            .executors(2)
            .writeTo(work.resolve("lines.yaml"));

    try (TestingDriverJvm first = start(spec, 1)) {
      String address = awaitAddress(first, 1);
      DriverStatusReport running = first.awaitStatus(address, r -> r.state().equals("RUNNING"));
      assertEquals("lines", running.app());
      assertEquals(1, running.attempt());
      assertEquals(0, running.executorsReady());

      writeFile(in, "a");
      writeFile(in, "b");
      awaitSaved(first, out, 2 * LINES_PER_FILE);
      // Outputs commit before the batch completes; its records then count for ten batches.
      first.awaitStatus(address, r -> r.recordsPerSecond() > 0);
      long batch =
          first
              .awaitStatus(address, r -> r.lastCompletedBatchTimeMs() != null)
              .lastCompletedBatchTimeMs();
      DriverStatusReport later =
          first.awaitStatus(
              address,
              r -> r.lastCompletedBatchTimeMs() > batch && r.lastCheckpointTimeMs() >= batch);
      assertTrue(later.batchesCompleted() >= 2, later.toString());

      assertEquals(0, first.terminate(TIMEOUT_MS), first.log());
      assertTrue(first.log().contains("wrote its final checkpoint"), first.log());
    }

    writeFile(in, "c");
    try (TestingDriverJvm second = start(spec, 2)) {
      String address = awaitAddress(second, 2);
      DriverStatusReport resumed = second.awaitStatus(address, r -> r.attempt() == 2);
      assertEquals("lines", resumed.app());
      second.awaitStatus(address, r -> r.state().equals("RUNNING"));
      awaitSaved(second, out, 3 * LINES_PER_FILE);
      writeFile(in, "d");
      awaitSaved(second, out, 4 * LINES_PER_FILE);
      assertEquals(0, second.terminate(TIMEOUT_MS), second.log());
      assertTrue(second.log().contains("recovered from checkpoint generation"), second.log());
    }

    List<String> saved = savedLines(out);
    assertEquals(new HashSet<>(expectedLines("a", "b", "c", "d")), new HashSet<>(saved));
    assertEquals(4 * LINES_PER_FILE, saved.size(), "a line was saved twice: " + saved);
    // The running count crossed the restart in the checkpoint, as a class of the jar only.
    assertEquals(List.of("(lines,LineTally[lines=" + 4 * LINES_PER_FILE + "])"), newestTally(out));
  }

  @Test
  void aMainClassThatIsNotInTheJarsEndsTheDriverWithExitCode78AndSaysWhatToCheck()
      throws Exception {
    String jar = applicationJar().toUri().toString();
    Path spec =
        new TestingSpec("missing", work.resolve("checkpoint").toUri().toString())
            .mainClass("com.example.Missing")
            .jar(jar)
            .writeTo(work.resolve("missing.yaml"));
    try (TestingDriverJvm driver = start(spec, 1)) {
      assertEquals(78, driver.awaitExit(TIMEOUT_MS), driver.log());
      assertTrue(
          driver.log().contains("main class com.example.Missing is not in the jars [" + jar + "]"),
          driver.log());
    }
  }

  @Test
  void anExceptionFromTheApplicationsDefineEndsTheDriverWithExitCode1AndItsStackTraceLogged()
      throws Exception {
    Path spec =
        new TestingSpec("unreachable", work.resolve("checkpoint").toUri().toString())
            .mainClass(TestingFailingDefinitionApplication.class.getName())
            .args("unreachable")
            .writeTo(work.resolve("unreachable.yaml"));
    try (TestingDriverJvm driver =
        TestingDriverJvm.start(
            System.getProperty("java.class.path"),
            work.resolve("unreachable.log"),
            List.of("--spec", spec.toString()))) {
      assertEquals(1, driver.awaitExit(TIMEOUT_MS), driver.log());
      String log = driver.log();
      assertTrue(
          log.contains(
              "ERROR dev.millrace.runtime.driver.Driver - application 'unreachable' failed in "
                  + TestingFailingDefinitionApplication.class.getName()
                  + ".define(): java.lang.IllegalStateException: "
                  + TestingFailingDefinitionApplication.UNREACHABLE),
          log);
      assertTrue(
          log.contains("\tat " + TestingFailingDefinitionApplication.class.getName() + ".define("),
          "the stack trace is logged: " + log);
    }
  }

  @Test
  void aRealExecutorRegistersWithTheDriverAndIsCountedUntilItIsKilled() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path spec =
        new TestingSpec("lines", work.resolve("checkpoint").toUri().toString())
            .jar(applicationJar().toUri().toString())
            .args(in.toString(), out.toString())
            .executors(1)
            .conf("millrace.executor.heartbeat-interval", "200ms")
            .conf("millrace.executor.heartbeat-timeout", "1s")
            .writeTo(work.resolve("app.yaml"));
    try (TestingDriverJvm driver =
        TestingDriverJvm.startAcceptingExecutors(applicationFreeClassPath(), work, spec)) {
      String address = driver.awaitAddress(work.resolve("address"));
      driver.awaitStatus(address, r -> r.state().equals("RUNNING"));
      Process executor =
          TestingExecutorJvm.start(
              work.resolve("executor.log"),
              "--driver",
              driver.awaitAddress(work.resolve("executor-address")),
              "--app",
              "lines",
              "--id",
              "exec-1");
      try {
        DriverStatusReport withExecutor = driver.awaitStatus(address, r -> r.executorsReady() == 1);
        assertEquals("exec-1", withExecutor.executors().get(0).id());
        assertEquals(executor.pid(), withExecutor.executors().get(0).pid());
        // Without --bind-address both servers, status and executors, are on loopback only.
        List<InetSocketAddress> listening = ListeningSockets.of(driver.pid());
        assertEquals(2, listening.size(), listening.toString());
        assertTrue(
            listening.stream().allMatch(a -> a.getAddress().isLoopbackAddress()),
            listening.toString());
        assertEquals(List.of(), ListeningSockets.of(executor.pid()), "an executor listens");

        executor.destroyForcibly();

        driver.awaitStatus(address, r -> r.executorsReady() == 0);
        assertTrue(driver.isAlive(), "losing an executor does not stop the driver");
      } finally {
        executor.destroyForcibly();
      }
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  @Test
  void aDriverToldToBindEveryInterfaceListensOnThemAndIsReachedOnLoopbackFromThisMachine()
      throws Exception {
    Path spec = linesAppWithNoInputYet();
    try (TestingDriverJvm driver =
        TestingDriverJvm.start(
            applicationFreeClassPath(),
            work.resolve("driver.log"),
            List.of(
                "--spec",
                spec.toString(),
                "--bind-address",
                "0.0.0.0",
                "--address-file",
                work.resolve("address").toString(),
                "--executor-address-file",
                work.resolve("executor-address").toString()))) {
      String address = driver.awaitAddress(work.resolve("address"));
      String executors = driver.awaitAddress(work.resolve("executor-address"));
      driver.awaitStatus(address, r -> r.state().equals("RUNNING"));

      assertTrue(address.startsWith("127.0.0.1:"), address);
      assertTrue(executors.startsWith("127.0.0.1:"), executors);
      List<InetSocketAddress> listening = ListeningSockets.of(driver.pid());
      assertEquals(2, listening.size(), listening.toString());
      assertTrue(
          listening.stream().allMatch(a -> a.getAddress().isAnyLocalAddress()),
          listening.toString());
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  @Test
  void clientsThatNeverFinishARequestAreCutAndTheDriverKeepsAnsweringItsSupervisor()
      throws Exception {
    Path spec = linesAppWithNoInputYet();
    try (TestingDriverJvm driver = start(spec, 1)) {
      String address = awaitAddress(driver, 1);
      driver.awaitStatus(address, r -> r.state().equals("RUNNING"));
      int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));

      // More half-sent requests than the server has threads: on the JDK's defaults (no time
      // limit) they would hold every thread for as long as they stay connected.
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < BoundedHttpServer.MAX_THREADS + 4; i++) {
          Socket socket = new Socket("127.0.0.1", port);
          socket.setSoTimeout((int) TIMEOUT_MS);
          socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(UTF_8));
          socket.getOutputStream().flush();
          slow.add(socket);
        }
        // The driver cuts each within its request time limit, and answers its supervisor again.
        for (Socket socket : slow) {
          assertEquals(-1, readToEnd(socket), "the driver closes a connection left half-sent");
        }
        driver.awaitStatus(address, r -> r.state().equals("RUNNING"));
      } finally {
        for (Socket socket : slow) {
          socket.close();
        }
      }
      assertEquals(0, driver.terminate(TIMEOUT_MS), driver.log());
    }
  }

  /** The lines application on an empty input directory, its spec written to {@code app.yaml}. */
  private Path linesAppWithNoInputYet() throws IOException {
    Files.createDirectories(work.resolve("in"));
    return new TestingSpec("lines", work.resolve("checkpoint").toUri().toString())
        .jar(applicationJar().toUri().toString())
        .args(work.resolve("in").toString(), work.resolve("out").toString())
        .writeTo(work.resolve("app.yaml"));
  }

  /** Reads until the peer closes (-1, also for a reset); a read timeout fails the test. */
  private static int readToEnd(Socket socket) throws IOException {
    try {
      while (socket.getInputStream().read() != -1) {
        // a refused connection may have been answered nothing; read on to the close
      }
      return -1;
    } catch (SocketTimeoutException e) {
      return fail("the driver kept a half-sent request open for " + TIMEOUT_MS + " ms");
    } catch (SocketException reset) {
      return -1;
    }
  }

  private TestingDriverJvm start(Path spec, int attempt) {
    return TestingDriverJvm.start(
        applicationFreeClassPath(),
        work.resolve("driver-" + spec.getFileName() + "-" + attempt + ".log"),
        List.of(
            "--spec",
            spec.toString(),
            "--attempt",
            String.valueOf(attempt),
            "--address-file",
            work.resolve("address-" + attempt).toString()));
  }

  /** This JVM's class path without the test classes, so the application comes from its jar. */
  static String applicationFreeClassPath() {
    Path testClasses = testClasses();
    List<String> entries =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !Path.of(e).toAbsolutePath().equals(testClasses))
            .toList();
    assertNotEquals(
        System.getProperty("java.class.path"),
        String.join(File.pathSeparator, entries),
        "the test classes " + testClasses + " are not on the class path");
    return String.join(File.pathSeparator, entries);
  }

  private static Path testClasses() {
    return TestingJar.classesDirectory(TestingLinesApplication.class);
  }

  /**
   * A jar of {@link TestingLinesApplication} and its nested classes, built from the test classes.
   */
  private Path applicationJar() throws IOException {
    return TestingJar.ofClass(TestingLinesApplication.class, work.resolve("lines-app.jar"));
  }

  private String awaitAddress(TestingDriverJvm driver, int attempt) throws InterruptedException {
    String address = driver.awaitAddress(work.resolve("address-" + attempt));
    assertTrue(address.matches("127\\.0\\.0\\.1:\\d+"), address);
    return address;
  }

  private void awaitSaved(TestingDriverJvm driver, Path out, int lines) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (savedLines(out).size() < lines) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        fail("the driver saved " + savedLines(out) + ", not " + lines + " lines\n" + driver.log());
      }
      Thread.sleep(50);
    }
  }

  /** The lines of files {@code files} as the driver tests write them: {@code <file>-1} and on. */
  static List<String> expectedLines(String... files) {
    List<String> lines = new ArrayList<>();
    for (String file : files) {
      for (int i = 1; i <= LINES_PER_FILE; i++) {
        lines.add(file + "-" + i);
      }
    }
    return lines;
  }

  /** Writes file {@code name} of {@link #LINES_PER_FILE} lines, moving it in whole. */
  private static void writeFile(Path in, String name) throws IOException {
    Path hidden = in.resolve("." + name + ".tmp");
    Files.write(hidden, expectedLines(name));
    Files.move(hidden, in.resolve(name + ".txt"), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Every line of every completed {@code lines-T.txt} batch. */
  private static List<String> savedLines(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path batch : completedBatches(out, TestingLinesApplication.LINES).values()) {
      lines.addAll(read(batch));
    }
    return lines;
  }

  private static List<String> newestTally(Path out) throws IOException {
    TreeMap<Long, Path> tallies = completedBatches(out, TestingLinesApplication.TALLY);
    return read(tallies.lastEntry().getValue());
  }

  private static TreeMap<Long, Path> completedBatches(Path out, String prefix) throws IOException {
    TreeMap<Long, Path> batches = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(out)) {
      for (Path dir : dirs.toList()) {
        Matcher m = OUTPUT.matcher(dir.getFileName().toString());
        if (m.matches() && m.group(1).equals(prefix) && Files.exists(dir.resolve("_SUCCESS"))) {
          batches.put(Long.parseLong(m.group(2)), dir);
        }
      }
    }
    return batches;
  }

  private static List<String> read(Path batch) throws IOException {
    try (Stream<Path> parts = Files.list(batch)) {
      List<String> lines = new ArrayList<>();
      for (Path part :
          parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part));
      }
      return lines;
    }
  }
}
