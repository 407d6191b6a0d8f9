package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.dataset.Dataset;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketTextSourceTest {
  private static final String LOOPBACK = "127.0.0.1";

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private SocketTextSource source;

  @AfterEach
  void tearDown() throws Exception {
    if (source != null) {
      source.stop();
    }
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  @Test
  void deliversLinesInArrivalOrderAcrossBatches() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 1, "ordered");
    OutputStream out = accept(server);

    send(out, "a\nb\n");
    awaitReceived(2);
    assertEquals(List.of("a", "b"), records(source.take(1000, false)));

    send(out, "c\nd\ne\n");
    awaitReceived(5);
    assertEquals(List.of("c", "d", "e"), records(source.take(2000, false)));
    assertEquals(List.of(), records(source.take(3000, false)));
  }

  @Test
  void decodesUtf8AndDropsCarriageReturnsBeforeNewlines() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 1, "utf8");
    OutputStream out = accept(server);

    send(out, "caf\u00e9\r\n\u6f22\u5b57 \ud83d\ude42\n\r\n\n");
    awaitReceived(4);

    assertEquals(
        List.of("caf\u00e9", "\u6f22\u5b57 \ud83d\ude42", "", ""),
        records(source.take(1000, false)));
  }

  @Test
  void keepsLastLineWithoutNewlineWhenServerClosesConnection() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 1, "unterminated");
    try (Socket connection = server.accept()) {
      send(connection.getOutputStream(), "x\ny");
    }
    awaitReceived(2);

    assertEquals(List.of("x", "y"), records(source.take(1000, false)));
  }

  @Test
  void slicesEachBatchIntoTheConfiguredPartitionsKeepingOrder() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 3, "sliced");
    OutputStream out = accept(server);

    send(out, "1\n2\n3\n4\n5\n6\n7\n");
    awaitReceived(7);
    Dataset<String> batch = source.take(1000, false);

    assertEquals(3, batch.numPartitions());
    assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"), records(batch));
  }

  @Test
  void reconnectsAfterServerDropsConnectionWithoutDuplicatingLines() throws Exception {
    ServerSocket first = listen(0);
    int port = first.getLocalPort();
    source = startSource(port, 2, "reconnecting");
    List<String> received = new ArrayList<>();

    try (Socket connection = first.accept()) {
      send(connection.getOutputStream(), "a1\na2\na3\n");
      awaitReceived(3);
    }
    first.close();
    received.addAll(records(source.take(1000, false)));

    ServerSocket second = listen(port);
    OutputStream out = accept(second);
    send(out, "b1\nb2\n");
    awaitReceived(5);
    received.addAll(records(source.take(2000, false)));

    assertEquals(List.of("a1", "a2", "a3", "b1", "b2"), received);
    assertEquals(5, source.receivedLines());
  }

  @Test
  void connectsOnceServerAppearsAfterStart() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK))) {
      port = probe.getLocalPort();
    }
    source = startSource(port, 1, "late-server");
    // Waiting in backoff proves the first attempt was refused before the server existed.
    awaitTrue(
        () -> receiverThread("late-server").getState() == Thread.State.TIMED_WAITING,
        () ->
            "the receiver never waited to retry; state "
                + receiverThread("late-server").getState());

    ServerSocket server = listen(port);
    OutputStream out = accept(server);
    send(out, "hello\n");
    awaitReceived(1);

    assertEquals(List.of("hello"), records(source.take(1000, false)));
  }

  @Test
  void stopEndsBlockedReceiverAndTakeStillReturnsBufferedLines() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 1, "stopping");
    OutputStream out = accept(server);
    send(out, "kept1\nkept2\n");
    awaitReceived(2);

    source.stop();

    assertFalse(
        receiverThreadAlive("stopping"),
        "the receiver thread is still alive after stop() although the server kept the connection"
            + " open");
    assertEquals(List.of("kept1", "kept2"), records(source.take(1000, true)));
    assertEquals(List.of(), records(source.take(2000, true)));
  }

  @Test
  void aRateLimitCapsEachBatchAndKeepsTheRestInOrderForTheNext() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 2, "limited");
    source.updateRateLimit(new RateLimit(20, 100)); // 2 lines per 100 ms batch
    OutputStream out = accept(server);

    send(out, "1\n2\n3\n4\n5\n");
    awaitReceived(5);

    assertEquals(List.of("1", "2"), records(source.take(100, false)));
    assertEquals(List.of("3", "4"), records(source.take(200, false)));
    assertEquals(List.of("5"), records(source.take(300, false)));
  }

  @Test
  void aMaximumRateBelowTheBackpressureRateCapsEachBatch() throws Exception {
    ServerSocket server = listen(0);
    source = new SocketTextSource(LOOPBACK, server.getLocalPort(), 1, "capped", 10_000);
    source.start(0);
    source.updateRateLimit(new RateLimit(1_000_000, 100)); // capped to 1000 lines per batch
    OutputStream out = accept(server);

    send(out, "x\n".repeat(2500));
    awaitReceived(2500);

    assertEquals(1000, records(source.take(100, false)).size());
    assertEquals(1000, records(source.take(200, false)).size());
    assertEquals(500, records(source.take(300, false)).size());
  }

  @Test
  void theLastBatchOfAGracefulStopTakesEverythingReceivedWhateverTheLimit() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 1, "draining");
    source.updateRateLimit(new RateLimit(10, 100)); // 1 line per batch
    OutputStream out = accept(server);
    send(out, "a\nb\nc\n");
    awaitReceived(3);

    source.stop();

    assertTrue(source.hasBufferedInput());
    assertEquals(List.of("a", "b", "c"), records(source.take(100, true)));
  }

  @Test
  void stopIsIdempotent() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 1, "twice");

    source.stop();
    source.stop();

    assertFalse(receiverThreadAlive("twice"));
  }

  @Test
  void startsOneDaemonReceiverThreadNamedAfterTheStream() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 1, "named");

    Thread receiver = receiverThread("named");

    assertTrue(receiver.isDaemon(), "the receiver must not keep the process alive");
  }

  @Test
  void refusesToStartTwice() throws Exception {
    ServerSocket server = listen(0);
    source = startSource(server.getLocalPort(), 1, "restart");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> source.start(0));

    assertTrue(e.getMessage().contains("'restart' was already started"), e.getMessage());
  }

  @Test
  void rejectsPortOutsideTcpRangeNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SocketTextSource(LOOPBACK, 70_000, 1, "bad-port"));

    assertTrue(e.getMessage().contains("port 70000"), e.getMessage());
  }

  @Test
  void rejectsFewerThanOnePartitionNamingTheCount() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SocketTextSource(LOOPBACK, 9999, 0, "no-partitions"));

    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }

  @Test
  void aLineLongerThanTheBoundIsDroppedCountedAndTheLinesAroundItArrive() throws Exception {
    ServerSocket server = listen(0);
    source =
        new SocketTextSource(
            LOOPBACK,
            server.getLocalPort(),
            1,
            "bounded",
            ReceiverSettings.defaults().withMaxLineBytes(1024));
    source.start(0);
    OutputStream out = accept(server);

    send(out, "before\n" + "x".repeat(300_000) + "\nafter\n");
    awaitReceived(2);

    assertEquals(List.of("before", "after"), records(source.take(1000, false)));
    SourceStatus status = source.status();
    assertEquals(1, status.linesDropped());
    assertEquals(2L, status.recordsReceived());
    assertEquals(7 + 300_001 + 6, status.bytesReceived());
    assertEquals(Boolean.TRUE, status.connected());
  }

  @Test
  void theStatusShowsTheOutageFromTheStartUntilConnectedAndFromTheLossOfTheConnection()
      throws Exception {
    ServerSocket probe = listen(0);
    int port = probe.getLocalPort();
    probe.close();
    source = startSource(port, 1, "outage");

    awaitTrue(
        () -> source.status().lastError() != null,
        () -> "no connection error reported: " + source.status());
    SourceStatus refused = source.status();
    assertEquals(Boolean.FALSE, refused.connected());
    assertTrue(refused.outageSinceMs() != null, refused.toString());
    assertTrue(refused.lastError().contains("Connection refused"), refused.lastError());
    assertEquals(LOOPBACK + ":" + port, refused.description());

    ServerSocket server = listen(port);
    Socket connection = server.accept();
    awaitTrue(
        () -> Boolean.TRUE.equals(source.status().connected()),
        () -> "not connected: " + source.status());
    assertEquals(null, source.status().outageSinceMs());
    assertEquals(refused.lastError(), source.status().lastError(), "the last error is kept");

    connection.close();
    awaitTrue(
        () -> source.status().outageSinceMs() != null,
        () -> "the lost connection is no outage: " + source.status());
    assertEquals(Boolean.FALSE, source.status().connected());
  }

  private SocketTextSource startSource(int port, int partitions, String name) {
    SocketTextSource s = new SocketTextSource(LOOPBACK, port, partitions, name);
    s.start(0);
    return s;
  }

  private ServerSocket listen(int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
    toClose.add(server);
    return server;
  }

  private OutputStream accept(ServerSocket server) throws IOException {
    server.setSoTimeout(10_000);
    Socket connection = server.accept();
    toClose.add(connection);
    return connection.getOutputStream();
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void awaitReceived(long lines) {
    awaitTrue(
        () -> source.receivedLines() >= lines,
        () -> "the source received " + source.receivedLines() + " lines, expected " + lines);
  }

  private static List<String> records(Dataset<String> ds) {
    List<String> all = new ArrayList<>();
    for (int p = 0; p < ds.numPartitions(); p++) {
      all.addAll(ds.collectPartition(p));
    }
    return all;
  }

  private static boolean receiverThreadAlive(String streamName) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("millrace-receiver-" + streamName) && t.isAlive());
  }

  private static Thread receiverThread(String streamName) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("millrace-receiver-" + streamName))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no thread millrace-receiver-" + streamName));
  }

  /** Polls every 10 ms for up to 10 s; conditions here depend on another thread and the network. */
  private static void awaitTrue(BooleanSupplier condition, Supplier<String> whatWasExpected) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("gave up after 10 s: " + whatWasExpected.get());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting: " + whatWasExpected.get());
      }
    }
  }
}
