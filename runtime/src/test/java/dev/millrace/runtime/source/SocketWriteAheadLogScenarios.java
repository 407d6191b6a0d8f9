package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.dataset.Dataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the socket source's write-ahead log must do on every file system that can hold it; each
 * subclass runs it against one. A driver crash is played by cutting the old source off from its
 * server without stopping it, so that its log stays open and unflushed of nothing, and recovering a
 * new source from the same checkpoint directory.
 */
abstract class SocketWriteAheadLogScenarios {
  static final String SOURCE_ID = "input-0";

  /**
   * The segment {@code 00000000000000000000.wal} as the log wrote it (through a Hadoop FileSystem,
   * before it went through FileAccess) for the lines "caf\u00e9", "" and "\ud83d\ude42 two", each
   * acknowledged on its own: a block per line. Logs left by earlier builds must still be read.
   */
  static final String EARLIER_SEGMENT =
      "4d52574c00000001"
          + "000000000000000000000001000000093e76cdc0399ae01300000005636166c3a9"
          + "0000000000000001000000010000000448674bc7d6fcca0c00000000"
          + "0000000000000002000000010000000ca6b2358175e87ad800000008f09f99822074776f";

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<SocketTextSource> sources = new ArrayList<>();

  /** A fresh checkpoint directory URI for each call. */
  abstract String newDirectoryUri();

  abstract Configuration conf();

  @AfterEach
  void stopEverything() throws Exception {
    sources.forEach(SocketTextSource::stop);
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  CheckpointStore newStore() {
    return new CheckpointStore(newDirectoryUri(), conf(), 3);
  }

  CheckpointStore reopen(CheckpointStore store) {
    return new CheckpointStore(store.uri(), conf(), 3);
  }

  TestingLineServer newServer() throws IOException {
    TestingLineServer server = new TestingLineServer();
    toClose.add(server);
    return server;
  }

  SocketTextSource newSource(
      TestingLineServer server, CheckpointStore store, String name, long segmentBytes) {
    SocketTextSource source =
        new SocketTextSource(
            TestingLineServer.LOOPBACK,
            server.port(),
            2,
            name,
            ReceiverSettings.defaults(),
            store,
            SOURCE_ID,
            segmentBytes);
    sources.add(source);
    return source;
  }

  /** Sends each line on its own and waits until it is acknowledged, so each is one log block. */
  static void sendAcknowledged(TestingLineServer server, SocketTextSource source, String... lines)
      throws IOException {
    for (String line : lines) {
      long before = source.receivedLines();
      server.send(line + "\n");
      awaitAcknowledged(source, before + 1);
    }
  }

  static void awaitAcknowledged(SocketTextSource source, long lines) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (source.receivedLines() < lines) {
      if (System.nanoTime() > deadline) {
        fail("gave up after 10 s: " + source.receivedLines() + " lines acknowledged, not " + lines);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  static List<String> records(Dataset<String> ds) {
    List<String> all = new ArrayList<>();
    for (int p = 0; p < ds.numPartitions(); p++) {
      all.addAll(ds.collectPartition(p));
    }
    return all;
  }

  /** The log's segment files, oldest first, as Hadoop's own file system lists them. */
  List<Path> segments(CheckpointStore store) throws IOException {
    Path directory = new Path(store.sourceLogDirectory(SOURCE_ID));
    FileSystem fs = directory.getFileSystem(conf());
    List<Path> segments = new ArrayList<>();
    for (FileStatus status : fs.listStatus(directory)) {
      segments.add(status.getPath());
    }
    segments.sort(null);
    return segments;
  }

  @Test
  void aSegmentWrittenByAnEarlierBuildIsRecoveredLineForLine() throws IOException {
    CheckpointStore store = newStore();
    Path segment = new Path(store.sourceLogDirectory(SOURCE_ID), "00000000000000000000.wal");
    FileSystem fs = segment.getFileSystem(conf());
    // The raw local file system writes no .crc file beside it, as the log never did.
    fs = fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    try (FSDataOutputStream out = fs.create(segment, false)) {
      out.write(HexFormat.of().parseHex(EARLIER_SEGMENT));
    }
    TestingLineServer server = newServer();
    SocketTextSource source =
        newSource(server, reopen(store), "earlier-build", SocketTextSource.DEFAULT_SEGMENT_BYTES);

    source.recover(1000, WalRange.positionBytes(0), List.of());
    Dataset<String> batch = source.take(1000, false);
    byte[] plan = source.encodePlan(batch);
    sendAcknowledged(server, source, "next");

    assertEquals(List.of("caf\u00e9", "", "\ud83d\ude42 two"), records(batch));
    assertEquals(List.of("caf\u00e9", "", "\ud83d\ude42 two"), records(source.replay(1000, plan)));
    assertEquals(List.of("next"), records(source.take(2000, false)));
  }

  @Test
  void socketSourceWithTheWriteAheadLogLosesNoAcknowledgedLine() throws IOException {
    CheckpointStore store = newStore();
    TestingLineServer before = newServer();
    SocketTextSource crashed =
        newSource(before, store, "crashing", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    crashed.start(0);
    List<String> processed = new ArrayList<>();

    before.send("a1\na2\na3\n");
    awaitAcknowledged(crashed, 3);
    processed.addAll(records(crashed.take(1000, false)));
    sendAcknowledged(before, crashed, "b1", "b2");
    Dataset<String> checkpointBatch = crashed.take(2000, false);
    processed.addAll(records(checkpointBatch));
    byte[] checkpointedPosition = crashed.snapshot();
    before.send("c1\nc2\nc3\n");
    awaitAcknowledged(crashed, 8);
    Dataset<String> lostBatch = crashed.take(3000, false);
    byte[] lostBatchPlan = crashed.encodePlan(lostBatch);
    sendAcknowledged(before, crashed, "d1", "d2");
    before.close();

    TestingLineServer after = newServer();
    SocketTextSource recovered =
        newSource(after, reopen(store), "recovered", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    recovered.recover(4000, checkpointedPosition, List.of(lostBatchPlan));
    processed.addAll(records(recovered.replay(3000, lostBatchPlan)));
    processed.addAll(records(recovered.take(4000, false)));
    sendAcknowledged(after, recovered, "e1");
    processed.addAll(records(recovered.take(5000, false)));

    assertEquals(
        List.of("a1", "a2", "a3", "b1", "b2", "c1", "c2", "c3", "d1", "d2", "e1"), processed);
  }

  @Test
  void aSecondCrashRecoversFromTheSegmentTheFirstRecoveryStarted() throws IOException {
    CheckpointStore store = newStore();
    TestingLineServer first = newServer();
    SocketTextSource firstRun =
        newSource(first, store, "first-run", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    firstRun.start(0);
    byte[] start = firstRun.snapshot();
    sendAcknowledged(first, firstRun, "a1", "a2");
    first.close();

    TestingLineServer second = newServer();
    SocketTextSource secondRun =
        newSource(second, reopen(store), "second-run", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    secondRun.recover(1000, start, List.of());
    Dataset<String> batch = secondRun.take(1000, false);
    byte[] plan = secondRun.encodePlan(batch);
    sendAcknowledged(second, secondRun, "b1");
    second.close();

    TestingLineServer third = newServer();
    SocketTextSource thirdRun =
        newSource(third, reopen(store), "third-run", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    thirdRun.recover(2000, start, List.of(plan));

    assertEquals(List.of("a1", "a2"), records(thirdRun.replay(1000, plan)));
    assertEquals(List.of("b1"), records(thirdRun.take(2000, false)));
  }

  @Test
  void aReceiverNeverMakesACheckpointDirectoryDeletedUnderItAgain() throws Exception {
    CheckpointStore store = newStore();
    TestingLineServer server = newServer();
    // A 1-byte segment size rolls after every block: the next line needs a new segment.
    SocketTextSource source = newSource(server, store, "orphaned", 1);
    source.start(0);
    sendAcknowledged(server, source, "a1", "a2");
    Path root = new Path(store.uri());
    FileSystem fs = root.getFileSystem(conf());
    assertTrue(fs.delete(root, true));

    server.send("b1\n");
    Thread.sleep(500);

    assertEquals(2, source.receivedLines(), "a line was acknowledged without a log to hold it");
    assertTrue(!fs.exists(root), "the receiver made the checkpoint directory again");
  }

  @Test
  void committedCheckpointDeletesTheSegmentsBeforeItsPositionAndKeepsTheRest() throws IOException {
    CheckpointStore store = newStore();
    TestingLineServer server = newServer();
    // A 1-byte segment size rolls after every block: one segment per line.
    SocketTextSource source = newSource(server, store, "rolling", 1);
    source.start(0);
    sendAcknowledged(server, source, "a1", "a2", "a3");
    Dataset<String> committedBatch = source.take(1000, false);
    byte[] committedPlan = source.encodePlan(committedBatch);
    byte[] committed = source.snapshot();
    sendAcknowledged(server, source, "b1", "b2");
    Dataset<String> laterBatch = source.take(2000, false);
    byte[] laterPlan = source.encodePlan(laterBatch);
    sendAcknowledged(server, source, "c1");
    assertEquals(6, segments(store).size(), "one segment per line: " + segments(store));

    source.checkpointCommitted(1000, committed);

    List<String> kept = segments(store).stream().map(Path::getName).toList();
    assertEquals(
        List.of("00000000000000000003.wal", "00000000000000000004.wal", "00000000000000000005.wal"),
        kept);
    assertEquals(List.of("b1", "b2"), records(source.replay(2000, laterPlan)));
    CorruptWriteAheadLogException e =
        assertThrows(CorruptWriteAheadLogException.class, () -> source.replay(1000, committedPlan));
    assertTrue(e.getMessage().contains("lacks records 0 to 2"), e.getMessage());
  }
}
