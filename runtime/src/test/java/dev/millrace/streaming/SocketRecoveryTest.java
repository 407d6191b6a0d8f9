package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.source.SocketTextSource;
import dev.millrace.runtime.stream.InputNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpointed socket stream through the public API: the receiver's write-ahead log keeps every
 * acknowledged line across a driver crash, and the restarted driver processes each exactly once.
 */
class SocketRecoveryTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedLineIsProcessedExactlyOnceAcrossADriverCrash() throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    List<String> sent = IntStream.range(0, 3000).mapToObj(i -> "line " + i).toList();
    List<String> processed = new CopyOnWriteArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      long crashAt;
      AtomicLong failAt = new AtomicLong(-1);
      try (TestingRun first =
          socketLines(checkpoint, 0, server.getLocalPort(), processed, failAt)) {
        first.ssc.start();
        try (Socket connection = server.accept()) {
          send(connection, sent.subList(0, 1000));
          SocketTextSource source = source(first);
          waitFor(() -> source.receivedLines() >= 1000);
          long time = 1000;
          while (processed.size() < 1000) {
            first.runUntil(time);
            time += 1000;
            if (time > 60_000) {
              fail("the first 1000 lines were not processed by batch 60000: " + processed.size());
            }
          }
          // These are acknowledged (in the log) when the driver dies in the next batch: some in
          // that batch's plan, the rest received but not yet planned.
          send(connection, sent.subList(1000, 2000));
          waitFor(() -> source.receivedLines() >= 2000);
          crashAt = time;
          failAt.set(crashAt);
          first.crashAt(crashAt);
        }
      }
      assertSameLines(sent.subList(0, 1000), processed);

      try (TestingRun second =
          socketLines(checkpoint, crashAt, server.getLocalPort(), processed, new AtomicLong(-1))) {
        second.ssc.start();
        try (Socket connection = server.accept()) {
          send(connection, sent.subList(2000, 3000));
          SocketTextSource source = source(second);
          waitFor(() -> source.receivedLines() >= 1000);
          long time = crashAt;
          while (processed.size() < 3000 && time < crashAt + 60_000) {
            second.runUntil(time);
            time += 1000;
          }
          second.runUntil(time);
          second.runUntil(time + 1000);
        }
      }
    }
    assertSameLines(sent, processed);
  }

  /** Compares without printing thousands of lines: sizes, then the first difference. */
  private static void assertSameLines(List<String> expected, List<String> actual) {
    List<String> copy = new ArrayList<>(actual);
    for (int i = 0; i < Math.min(expected.size(), copy.size()); i++) {
      assertEquals(expected.get(i), copy.get(i), "line at index " + i);
    }
    assertEquals(expected.size(), copy.size(), "number of lines processed");
  }

  private static TestingRun socketLines(
      String checkpoint, long now, int port, List<String> processed, AtomicLong failAt) {
    TestingRun run = new TestingRun(checkpoint, now, b -> {});
    run.ssc
        .socketTextStream("127.0.0.1", port)
        .foreachBatch(
            b -> {
              if (b.time() == failAt.get()) {
                throw new IllegalStateException("driver dies during batch " + b.time());
              }
              processed.addAll(b.collect());
            });
    return run;
  }

  private static SocketTextSource source(TestingRun run) {
    return (SocketTextSource)
        ((InputNode<?>) Contexts.engine(run.ssc).graph().inputs().get(0)).source();
  }

  private static void send(Socket s, List<String> lines) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within 20 s");
      }
      Thread.sleep(5);
    }
  }
}
