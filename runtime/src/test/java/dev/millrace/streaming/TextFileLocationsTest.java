package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The locations {@code textFileStream} and {@code saveAsTextFiles} accept: {@code file:} URIs as
 * local paths, and clear errors for a scheme no file system serves or a file system out of reach.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TextFileLocationsTest {
  /** Hadoop's client gives up on a refused connection at once instead of retrying for seconds. */
  private static final Map<String, String> NO_RETRIES =
      Map.of(
          "millrace.hadoop.ipc.client.connect.max.retries", "0",
          "millrace.hadoop.ipc.client.connect.retry.interval", "10");

  private final TestingStreams t = new TestingStreams(NO_RETRIES);
  @TempDir Path dir;

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void fileUrisReadAndWriteLocalFiles() throws Exception {
    Path in = Files.createDirectory(dir.resolve("in"));
    TestingStreams.Collected<String> lines = t.collect(t.ssc.textFileStream(in.toUri().toString()));
    t.ssc.textFileStream("file://" + in).saveAsTextFiles("file://" + dir.resolve("out/lines"));
    t.start();
    Path hidden = in.resolve(".one.txt");
    Files.writeString(hidden, "x\ny\n");
    Files.setLastModifiedTime(hidden, FileTime.fromMillis(500));
    Files.move(hidden, in.resolve("one.txt"), StandardCopyOption.ATOMIC_MOVE);
    t.runBatches(1);

    assertEquals(List.of("x", "y"), lines.batch(1));
    Path out = dir.resolve("out/lines-1000");
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals(
        List.of("x", "y"),
        Files.readAllLines(out.resolve("part-00000")).stream().sorted().toList());
  }

  @Test
  void anUnknownSchemeFailsWhenTheStreamIsDefined() {
    IllegalArgumentException input =
        assertThrows(
            IllegalArgumentException.class, () -> t.ssc.textFileStream("nosuchfs://host/in"));
    assertTrue(input.getMessage().contains("'nosuchfs://host/in'"), input.getMessage());
    assertTrue(input.getMessage().contains("text file stream"), input.getMessage());
    assertTrue(input.getMessage().contains("millrace.hadoop.fs.nosuchfs.impl"), input.getMessage());

    IllegalArgumentException output =
        assertThrows(
            IllegalArgumentException.class,
            () -> t.queue(List.of(List.of("a"))).saveAsTextFiles("nosuchfs://host/out/x", "txt"));
    assertTrue(output.getMessage().contains("saveAsTextFiles prefix"), output.getMessage());
    assertTrue(output.getMessage().contains("'nosuchfs://host/out/x'"), output.getMessage());
  }

  @Test
  void anUnreachableFileSystemFailsStartNamingTheUriAndWhatToCheck() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    String uri = "hdfs://127.0.0.1:" + port + "/in";
    t.ssc.textFileStream(uri).print();

    long started = System.nanoTime();
    UncheckedIOException e = assertThrows(UncheckedIOException.class, t.ssc::start);

    assertTrue(e.getMessage().contains("cannot list input directory " + uri), e.getMessage());
    assertTrue(e.getMessage().contains("text file stream"), e.getMessage());
    assertTrue(e.getMessage().contains("HADOOP_CONF_DIR"), e.getMessage());
    assertTrue(e.getMessage().contains("millrace.hadoop."), e.getMessage());
    assertEquals(StreamingContext.State.STOPPED, t.ssc.state());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "failed fast");
  }
}
