package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user-written receiver's application as a real driver process ({@link TestingReceiverDriver}),
 * SIGKILLed after its receiver has acknowledged records, some of them processed, some in a batch,
 * some taken by none: the driver started again on the same checkpoint directory processes every
 * acknowledged record exactly once, counted in its saved output.
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReceiverCrashTest {
  private static final int GROUP = 50;

  @TempDir Path dir;

  @Test
  void aRestartedDriverProcessesEveryRecordItsReceiverAcknowledgedExactlyOnce() throws Exception {
    Path output = dir.resolve("out");
    String checkpoint = dir.resolve("checkpoint").toString();
    try (ServerSocket sender = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      try (TestingDriverProcess first = driver(sender, output, checkpoint, "first")) {
        try (Socket connection = accept(sender)) {
          sendAcknowledged(connection, 0, 1000);
          first.nextBatchDone(60_000);
          sendAcknowledged(connection, 1000, 2000);
          first.kill();
        }
      }

      try (TestingDriverProcess second = driver(sender, output, checkpoint, "second")) {
        try (Socket connection = accept(sender)) {
          sendAcknowledged(connection, 2000, 3000);
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
          while (saved(output).size() < 3000) {
            if (System.nanoTime() > deadline) {
              fail("the output holds " + saved(output).size() + " of 3000 numbers after 120 s");
            }
            second.nextBatchDone(60_000);
          }
          assertEquals(0, second.terminate(60_000), "a graceful stop exits with 0");
        }
      }
    }

    Map<Long, Integer> counts = saved(output);
    List<Long> doubled = new ArrayList<>();
    counts.forEach(
        (n, times) -> {
          if (times != 1) {
            doubled.add(n);
          }
        });
    assertEquals(List.of(), doubled, "numbers saved more than once");
    assertEquals(
        LongStream.range(0, 3000).boxed().toList(),
        new ArrayList<>(counts.keySet()),
        "every acknowledged number is saved");
  }

  private TestingDriverProcess driver(
      ServerSocket sender, Path output, String checkpoint, String name) {
    return TestingDriverProcess.start(
        dir.resolve(name + ".log"),
        TestingReceiverDriver.class,
        List.of(
            "127.0.0.1",
            String.valueOf(sender.getLocalPort()),
            output.toString(),
            checkpoint,
            "200"));
  }

  private static Socket accept(ServerSocket sender) throws IOException {
    sender.setSoTimeout(60_000);
    return sender.accept();
  }

  /** Sends {@code from} to {@code until} in groups, each after the previous one's ACK. */
  private static void sendAcknowledged(Socket connection, long from, long until)
      throws IOException {
    OutputStream out = connection.getOutputStream();
    BufferedReader acks =
        new BufferedReader(
            new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
    for (long start = from; start < until; start += GROUP) {
      List<String> group = new ArrayList<>();
      for (long n = start; n < Math.min(until, start + GROUP); n++) {
        group.add(String.valueOf(n));
      }
      out.write((String.join(",", group) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertEquals("ACK " + group.size(), acks.readLine(), "the receiver's answer to " + start);
    }
  }

  private static final Pattern BATCH =
      Pattern.compile(TestingReceiverDriver.NUMBERS + "-(\\d+)\\.txt");

  /** How often each number was saved, over the complete saved batches. */
  private static Map<Long, Integer> saved(Path output) {
    Map<Long, Integer> counts = new TreeMap<>();
    if (!Files.isDirectory(output)) {
      return counts;
    }
    try (Stream<Path> batches = Files.list(output)) {
      for (Path batch : batches.toList()) {
        Matcher m = BATCH.matcher(batch.getFileName().toString());
        if (!m.matches() || !Files.exists(batch.resolve("_SUCCESS"))) {
          continue;
        }
        try (Stream<Path> parts = Files.list(batch)) {
          for (Path part :
              parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
              counts.merge(Long.parseLong(line), 1, Integer::sum);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }
}
