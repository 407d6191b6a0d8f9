package dev.millrace.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.ManualClock;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each example run on a manual clock against a real TCP server, its printed output checked. */
class ExamplesTest {

  private static String runExample(
      StreamingApplication app, List<String> batches, String... extraArgs) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ManualClock clock = new ManualClock(0);
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      StreamingContext ssc =
          StreamingContext.builder()
              .master("local[2]")
              .appName("example")
              .batchInterval(Durations.seconds(1))
              .clock(clock)
              .console(new PrintStream(printed, true, StandardCharsets.UTF_8))
              .build();
      String[] args = new String[2 + extraArgs.length];
      args[0] = "127.0.0.1";
      args[1] = String.valueOf(server.getLocalPort());
      System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
      app.define(ssc, args);
      AtomicInteger completed = new AtomicInteger();
      ssc.addStreamingListener(
          new StreamingListener() {
            @Override
            public void onBatchCompleted(BatchInfo b) {
              completed.incrementAndGet();
            }
          });
      ssc.start();
      try (ssc;
          Socket client = server.accept()) {
        OutputStream out = client.getOutputStream();
        for (int k = 0; k < batches.size(); k++) {
          String text = batches.get(k);
          out.write(text.getBytes(StandardCharsets.UTF_8));
          out.flush();
          long expectedLines = text.chars().filter(c -> c == '\n').count();
          // Let the receiver take in this batch's lines before its batch time arrives.
          Thread.sleep(expectedLines == 0 ? 0 : 500);
          clock.setTime((k + 1) * 1000L);
          long deadline = System.nanoTime() + 10_000_000_000L;
          while (completed.get() <= k && System.nanoTime() < deadline) {
            Thread.sleep(5);
          }
          assertEquals(k + 1, completed.get(), "batch " + (k + 1) + " completed");
        }
      }
    }
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void networkWordCountPrintsEachBatchsCounts() throws Exception {
    String out = runExample(new NetworkWordCount(), List.of("hello world hello\n", "world\n"));
    assertTrue(out.contains("Time: 1000 ms\n-------------------------------------------\n"), out);
    String first = out.substring(out.indexOf("Time: 1000 ms"), out.indexOf("Time: 2000 ms"));
    assertTrue(first.contains("(hello,2)") && first.contains("(world,1)"), first);
    assertTrue(out.substring(out.indexOf("Time: 2000 ms")).contains("(world,1)"), out);
  }

  @Test
  void statefulWordCountPrintsRunningTotals() throws Exception {
    String out = runExample(new StatefulNetworkWordCount(), List.of("a b a\n", "a\n"));
    assertTrue(out.substring(out.indexOf("Time: 2000 ms")).contains("(a,3)"), out);
    assertEquals(Optional.of(6), StatefulNetworkWordCount.addCounts(List.of(1, 2), Optional.of(3)));
  }

  @Test
  void windowedWordCountCountsTheLastWindowIncrementally() throws Exception {
    String out =
        runExample(new WindowedNetworkWordCount(), List.of("x y\n", "x\n", "", "y\n"), "2", "1");
    String third = out.substring(out.indexOf("Time: 3000 ms"), out.indexOf("Time: 4000 ms"));
    assertTrue(
        third.contains("(x,1)") && !third.contains("(y,"), "window of batches 2..3: " + third);
    assertTrue(out.substring(out.indexOf("Time: 4000 ms")).contains("(y,1)"), out);
  }

  @Test
  void examplesRefuseMissingArgumentsWithTheirUsage() {
    StreamingContext ssc = new StreamingContext("local[1]", "x", Durations.seconds(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new NetworkWordCount().define(ssc, new String[0]));
    assertTrue(e.getMessage().contains("NetworkWordCount <host> <port>"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new NetworkWordCount().define(ssc, new String[] {"localhost", "port"}));
  }
}
