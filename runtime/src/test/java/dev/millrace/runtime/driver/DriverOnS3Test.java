package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.checkpoint.TestingS3;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code millrace driver} with everything on {@code s3a://} (the application's jar, its input
 * directory, its output and its checkpoint) against a real S3-compatible server, on the class path
 * the runtime ships (its runtime dependencies and an slf4j provider, as in {@code
 * examples/target/lib}), not the tests': S3A must work with what users get.
 */
@Tag("process")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DriverOnS3Test {
  @RegisterExtension static final TestingS3 S3 = new TestingS3();
  private static final long TIMEOUT_MS = 120_000;
  private static final Pattern OUTPUT = Pattern.compile("(\\w+)-(\\d+)\\.txt");

  // Kept when a test fails, with the drivers' logs, for the post-mortem.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  java.nio.file.Path work;

  @Test
  void aDriverKilledMidStreamRecoversFromItsCheckpointOnS3AndSavesEveryLineExactlyOnce()
      throws Exception {
    String app = S3.uri() + "/lines";
    FileSystem s3 = new Path(app).getFileSystem(S3.conf());
    String in = app + "/in";
    String out = app + "/out";
    s3.mkdirs(new Path(in));
    Path jar = new Path(app + "/jars/lines-app.jar");
    s3.copyFromLocalFile(
        new Path(
            TestingJar.ofClass(TestingLinesApplication.class, work.resolve("lines-app.jar"))
                .toUri()),
        jar);
    TestingSpec spec =
        new TestingSpec("lines", app + "/checkpoint")
            .jar(jar.toString())
            .args(in, out)
            .batchInterval("2s")
            .checkpointInterval("4s");
    S3.millraceConf().forEach(spec::conf);
    java.nio.file.Path specFile = spec.writeTo(work.resolve("lines.yaml"));

    try (TestingDriverJvm first = start(specFile, 1)) {
      String address = first.awaitAddress(work.resolve("address-1"));
      first.awaitStatus(address, r -> r.state().equals("RUNNING"));
      upload(s3, in, "a");
      upload(s3, in, "b");
      awaitSaved(first, s3, out, 2 * DriverProcessTest.LINES_PER_FILE);
      long batch =
          first
              .awaitStatus(address, r -> r.lastCompletedBatchTimeMs() != null)
              .lastCompletedBatchTimeMs();
      first.awaitStatus(
          address, r -> r.lastCheckpointTimeMs() != null && r.lastCheckpointTimeMs() > batch);
      // Mid-stream: new input is in the directory, taken or about to be, when the driver dies.
      upload(s3, in, "c");
      upload(s3, in, "d");
      first.kill();
    }

    upload(s3, in, "e");
    try (TestingDriverJvm second = start(specFile, 2)) {
      String address = second.awaitAddress(work.resolve("address-2"));
      second.awaitStatus(address, r -> r.attempt() == 2 && r.state().equals("RUNNING"));
      awaitSaved(second, s3, out, 5 * DriverProcessTest.LINES_PER_FILE);
      assertEquals(0, second.terminate(TIMEOUT_MS), second.log());
      assertTrue(second.log().contains("recovered from checkpoint generation"), second.log());
    }

    List<String> saved = savedLines(s3, out);
    assertEquals(
        new HashSet<>(DriverProcessTest.expectedLines("a", "b", "c", "d", "e")),
        new HashSet<>(saved));
    assertEquals(
        5 * DriverProcessTest.LINES_PER_FILE, saved.size(), "a line was saved twice: " + saved);
    // The running count crossed the kill in the checkpoint on S3.
    assertEquals(
        List.of("(lines,LineTally[lines=" + 5 * DriverProcessTest.LINES_PER_FILE + "])"),
        newestTally(s3, out));
  }

  @Test
  void aSocketStreamWithItsCheckpointOnS3EndsTheDriverWithExitCode78AndSaysWhereTheLogCanGo()
      throws Exception {
    String checkpoint = S3.uri() + "/socket/checkpoint";
    TestingSpec spec =
        new TestingSpec("socket", checkpoint)
            .mainClass(TestingSocketApplication.class.getName())
            .jar(
                TestingJar.ofClass(TestingSocketApplication.class, work.resolve("socket-app.jar"))
                    .toUri()
                    .toString())
            .args("127.0.0.1", "9");
    S3.millraceConf().forEach(spec::conf);

    try (TestingDriverJvm driver = start(spec.writeTo(work.resolve("socket.yaml")), 1)) {
      assertEquals(78, driver.awaitExit(TIMEOUT_MS), driver.log());
      String log = driver.log();
      assertTrue(log.contains(checkpoint), log);
      assertTrue(log.contains("write-ahead log of socket text stream"), log);
      assertTrue(log.contains("cannot flush a file that is still open"), log);
      assertTrue(log.contains("hdfs:// or local checkpoint directory"), log);
    }
  }

  private TestingDriverJvm start(java.nio.file.Path spec, int attempt) throws IOException {
    return TestingDriverJvm.start(
        shippedClassPath(),
        work.resolve("driver-" + attempt + ".log"),
        List.of(
            "--spec",
            spec.toString(),
            "--attempt",
            String.valueOf(attempt),
            "--address-file",
            work.resolve("address-" + attempt).toString()));
  }

  /**
   * The runtime's classes and runtime dependencies as the build lists them (with its slf4j
   * provider): nothing of the tests' class path (not s3proxy's libraries).
   */
  private static String shippedClassPath() throws IOException {
    java.nio.file.Path runtimeClasses = TestingJar.classesDirectory(Driver.class);
    java.nio.file.Path listed = runtimeClasses.resolveSibling("runtime-classpath.txt");
    assertTrue(Files.exists(listed), listed + " is missing; build with mvn, which writes it");
    return String.join(
        File.pathSeparator, runtimeClasses.toString(), Files.readString(listed).trim());
  }

  /**
   * Uploads file {@code name} of {@link #DriverProcessTest.LINES_PER_FILE} lines: an S3 object
   * appears whole.
   */
  private static void upload(FileSystem s3, String in, String name) throws IOException {
    try (OutputStream out = s3.create(new Path(in, name + ".txt"), false)) {
      out.write(
          (String.join("\n", DriverProcessTest.expectedLines(name)) + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void awaitSaved(TestingDriverJvm driver, FileSystem s3, String out, int lines)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (savedLines(s3, out).size() < lines) {
      if (!driver.isAlive() || System.nanoTime() > deadline) {
        fail(
            "the driver saved "
                + savedLines(s3, out)
                + ", not "
                + lines
                + " lines\n"
                + driver.log());
      }
      Thread.sleep(200);
    }
  }

  /** Every line of every completed {@code lines-T.txt} batch. */
  private static List<String> savedLines(FileSystem s3, String out) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path batch : completedBatches(s3, out, TestingLinesApplication.LINES).values()) {
      lines.addAll(read(s3, batch));
    }
    return lines;
  }

  private static List<String> newestTally(FileSystem s3, String out) throws IOException {
    return read(
        s3, completedBatches(s3, out, TestingLinesApplication.TALLY).lastEntry().getValue());
  }

  private static TreeMap<Long, Path> completedBatches(FileSystem s3, String out, String prefix)
      throws IOException {
    TreeMap<Long, Path> batches = new TreeMap<>();
    if (!s3.exists(new Path(out))) {
      return batches;
    }
    for (FileStatus dir : s3.listStatus(new Path(out))) {
      Matcher m = OUTPUT.matcher(dir.getPath().getName());
      if (m.matches()
          && m.group(1).equals(prefix)
          && s3.exists(new Path(dir.getPath(), "_SUCCESS"))) {
        batches.put(Long.parseLong(m.group(2)), dir.getPath());
      }
    }
    return batches;
  }

  private static List<String> read(FileSystem s3, Path batch) throws IOException {
    List<String> lines = new ArrayList<>();
    List<Path> parts = new ArrayList<>();
    for (FileStatus part : s3.listStatus(batch)) {
      if (part.getPath().getName().startsWith("part-")) {
        parts.add(part.getPath());
      }
    }
    parts.sort(null);
    for (Path part : parts) {
      try (InputStream stream = s3.open(part)) {
        String text = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        if (!text.isEmpty()) {
          lines.addAll(List.of(text.split("\n")));
        }
      }
    }
    return lines;
  }
}
