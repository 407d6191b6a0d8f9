package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.Contexts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real sources and sink driven through the public API, batch by batch on a manual clock. */
@Tag("process")
class SourcesEndToEndTest {
  private final TestingStreams t = new TestingStreams();
  @TempDir Path dir;

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void socketStreamCountsWordsAcrossAServerThatDropsAndComesBack() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int port = server.getLocalPort();
    DStream<String> lines = t.ssc.socketTextStream("127.0.0.1", port);
    List<Long> received = new CopyOnWriteArrayList<>();
    lines.count().foreachBatch(b -> received.add(b.collect().get(0)));
    TestingStreams.Collected<Pair<String, Integer>> counts =
        t.collect(
            lines
                .flatMap(l -> Arrays.asList(l.split(" ")))
                .mapToPair(w -> Pair.of(w, 1))
                .reduceByKey(Integer::sum));
    t.start();
    try (Socket first = server.accept()) {
      send(first, "a b\nb c\n");
      waitUntilBuffered(lines, 2, received);
      t.runBatches(1);
    }
    server.close();
    t.runBatches(1);
    try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Socket second = again.accept()) {
      send(second, "c c\n");
      waitUntilBuffered(lines, 3, received);
      t.runBatches(1);
    }

    assertEquals(Map.of("a", 1, "b", 2, "c", 1), References.asMap(counts.batch(1)));
    assertEquals(List.of(), counts.batch(2), "nothing arrived while the server was down");
    assertEquals(Map.of("c", 2), References.asMap(counts.batch(3)), "the reconnected stream");
    assertEquals(List.of(2L, 0L, 1L), received);
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Waits until the receiver holds {@code total} lines in all (batched or still buffered). */
  private void waitUntilBuffered(DStream<String> lines, int total, List<Long> received) {
    dev.millrace.runtime.source.SocketTextSource source =
        (dev.millrace.runtime.source.SocketTextSource)
            ((dev.millrace.runtime.stream.InputNode<?>)
                    Contexts.engine(lines.context()).graph().nodes().get(lines.definition.id()))
                .source();
    waitFor(() -> source.receivedLines() >= total);
  }

  @Test
  void fileStreamReadsEachNewFileOnceInTheBatchItArrivedFor() throws Exception {
    Path in = Files.createDirectory(dir.resolve("in"));
    Files.writeString(in.resolve("old.txt"), "ignored because it was there before start\n");
    TestingStreams.Collected<String> lines = t.collect(t.ssc.textFileStream(in.toString()));
    t.start();
    moveIn(in, "one.txt", "x\ny\n", 500);
    t.runBatches(1);
    moveIn(in, "two.txt", "z\n", 1500);
    moveIn(in, "three.txt", "w", 2000);
    moveIn(in, "later.txt", "v\n", 3600);
    t.runBatches(2);

    assertEquals(List.of("x", "y"), lines.batch(1));
    assertEquals(List.of("z", "w"), lines.batch(2), "ordered by modification time");
    assertEquals(
        List.of(), lines.batch(3), "a file stamped after batch 3000 waits for a later one");
    t.runBatches(1);
    assertEquals(List.of("v"), lines.batch(4));
  }

  private static void moveIn(Path dir, String name, String content, long mtime) throws IOException {
    Path hidden = dir.resolve("." + name);
    Files.writeString(hidden, content);
    Files.setLastModifiedTime(hidden, FileTime.fromMillis(mtime));
    Files.move(hidden, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void saveAsTextFilesWritesOneDirectoryPerBatchNamedByTime() throws Exception {
    String prefix = dir.resolve("out/counts").toString();
    t.queue(List.of(List.of("b", "a", "b"), List.of()))
        .countByValue(1)
        .saveAsTextFiles(prefix, "txt");
    t.runBatches(2);

    Path first = dir.resolve("out/counts-1000.txt");
    Path second = dir.resolve("out/counts-2000.txt");
    assertTrue(Files.exists(first.resolve("_SUCCESS")));
    assertEquals(
        List.of("(a,1)", "(b,2)"),
        Files.readAllLines(first.resolve("part-00000")).stream()
            .sorted()
            .collect(Collectors.toList()));
    assertEquals(List.of(), Files.readAllLines(second.resolve("part-00000")));
    try (Stream<Path> names = Files.list(dir.resolve("out"))) {
      List<String> all =
          names.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
      assertEquals(List.of("counts-1000.txt", "counts-2000.txt"), all, "no temporary leftovers");
    }
  }

  @Test
  void gracefulStopDeliversLinesReceivedSinceTheLastBatch() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    DStream<String> lines = t.ssc.socketTextStream("127.0.0.1", server.getLocalPort());
    List<String> seen = new CopyOnWriteArrayList<>();
    lines.foreachBatch(b -> seen.addAll(b.collect()));
    t.start();
    try (server;
        Socket s = server.accept()) {
      send(s, "late line\n");
      waitUntilBuffered(lines, 1, new ArrayList<>());
      t.ssc.stop(true);
    }
    assertEquals(List.of("late line"), seen);
    assertFalse(t.ssc.state() == StreamingContext.State.ACTIVE);
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
