package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.CapturedStderr;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.dataset.Dataset;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-ahead log scenarios on the local file system, and damage done to the files. */
class SocketWriteAheadLogTest extends SocketWriteAheadLogScenarios {
  @TempDir java.nio.file.Path base;
  private int directories;

  @Override
  String newDirectoryUri() {
    return base.resolve("checkpoint-" + ++directories).toString();
  }

  @Override
  Configuration conf() {
    return new Configuration();
  }

  @Test
  void recoverySkipsALastBlockTheCrashCutShortWithAWarningNamingTheSegment() throws IOException {
    CheckpointStore store = newStore();
    TestingLineServer before = newServer();
    SocketTextSource crashed =
        newSource(before, store, "torn", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    crashed.start(0);
    byte[] start = crashed.snapshot();
    sendAcknowledged(before, crashed, "kept1", "kept2", "torn-away");
    before.close();
    Path segment = segments(store).get(0);
    try (RandomAccessFile file = new RandomAccessFile(local(segment), "rw")) {
      file.setLength(file.length() - 3);
    }

    TestingLineServer after = newServer();
    SocketTextSource recovered =
        newSource(after, reopen(store), "torn-recovered", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    String log;
    try (CapturedStderr stderr = new CapturedStderr()) {
      recovered.recover(1000, start, List.of());
      log = stderr.text();
    }
    sendAcknowledged(after, recovered, "next");

    assertEquals(List.of("kept1", "kept2", "next"), records(recovered.take(1000, false)));
    assertTrue(log.contains("WARN") && log.contains(segment.getName()), log);
    assertTrue(log.contains("never acknowledged"), log);
  }

  @Test
  void recoveryRefusesACorruptAcknowledgedBlockNamingTheSegmentAndOffset() throws IOException {
    CheckpointStore store = newStore();
    TestingLineServer before = newServer();
    SocketTextSource crashed =
        newSource(before, store, "corrupt", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    crashed.start(0);
    byte[] start = crashed.snapshot();
    sendAcknowledged(before, crashed, "first", "second");
    before.close();
    Path segment = segments(store).get(0);
    long secondBlock =
        WalSegmentFormat.SEGMENT_HEADER_BYTES
            + WalSegmentFormat.encodeBlock(0, List.of("first")).length;
    flipByte(segment, secondBlock + WalSegmentFormat.BLOCK_HEADER_BYTES + 5);

    SocketTextSource recovered =
        newSource(
            newServer(),
            reopen(store),
            "corrupt-recovered",
            SocketTextSource.DEFAULT_SEGMENT_BYTES);
    CorruptWriteAheadLogException e =
        assertThrows(
            CorruptWriteAheadLogException.class, () -> recovered.recover(1000, start, List.of()));

    assertTrue(
        e.getMessage().contains(segment.getName() + " at offset " + secondBlock), e.getMessage());
    assertTrue(e.getMessage().contains("lacks records 1 on"), e.getMessage());
    assertTrue(e.getMessage().contains("Restore the checkpoint directory"), e.getMessage());
  }

  @Test
  void replayRefusesAPlanWhoseLinesAreCorruptInsteadOfReturningFewer() throws IOException {
    CheckpointStore store = newStore();
    TestingLineServer server = newServer();
    SocketTextSource source =
        newSource(server, store, "corrupt-plan", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    source.start(0);
    sendAcknowledged(server, source, "only");
    Dataset<String> batch = source.take(1000, false);
    byte[] plan = source.encodePlan(batch);
    flipByte(segments(store).get(0), WalSegmentFormat.SEGMENT_HEADER_BYTES + 2);

    CorruptWriteAheadLogException e =
        assertThrows(CorruptWriteAheadLogException.class, () -> source.replay(1000, plan));

    assertTrue(
        e.getMessage().contains("lacks records 0 to 0, which batch 1000 took"), e.getMessage());
    assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
  }

  @Test
  void withoutACheckpointTheSourceWritesNoLogAndCannotPlan() throws IOException {
    TestingLineServer server = newServer();
    SocketTextSource source =
        new SocketTextSource(TestingLineServer.LOOPBACK, server.port(), 1, "plain");
    try {
      source.start(0);
      server.send("x\n");
      awaitAcknowledged(source, 1);
      Dataset<String> batch = source.take(1000, false);

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> source.encodePlan(batch));
      assertTrue(e.getMessage().contains("create it with a checkpoint store"), e.getMessage());
      assertEquals(List.of("x"), records(batch));
    } finally {
      source.stop();
    }
    try (var files = Files.list(base)) {
      assertFalse(files.findAny().isPresent(), "nothing may be written without a checkpoint");
    }
  }

  @Test
  void aFreshStartNumbersAfterAnEarlierRunsLogAndItsFirstCheckpointDeletesIt() throws IOException {
    CheckpointStore store = newStore();
    TestingLineServer earlier = newServer();
    SocketTextSource earlierRun =
        newSource(earlier, store, "earlier", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    earlierRun.start(0);
    sendAcknowledged(earlier, earlierRun, "old1", "old2");
    earlierRun.stop();

    TestingLineServer later = newServer();
    SocketTextSource laterRun =
        newSource(later, reopen(store), "later", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    laterRun.start(5000);
    sendAcknowledged(later, laterRun, "new1");
    Dataset<String> batch = laterRun.take(5000, false);
    byte[] plan = laterRun.encodePlan(batch);
    laterRun.checkpointCommitted(5000, laterRun.snapshot());

    assertEquals(List.of("new1"), records(batch));
    assertEquals(List.of("new1"), records(laterRun.replay(5000, plan)));
    assertEquals(
        List.of("00000000000000000002.wal"), segments(store).stream().map(Path::getName).toList());
  }

  @Test
  void aCheckpointDirectoryWhoseNameNeedsEscapingInAUriHoldsTheLog() throws IOException {
    java.nio.file.Path directory = base.resolve("check point #1");
    CheckpointStore store = new CheckpointStore(directory.toString(), conf(), 3);
    TestingLineServer server = newServer();
    SocketTextSource source =
        newSource(server, store, "escaped", SocketTextSource.DEFAULT_SEGMENT_BYTES);
    source.start(0);
    sendAcknowledged(server, source, "one");

    assertEquals(List.of("one"), records(source.take(1000, false)));
    assertTrue(
        Files.exists(directory.resolve("sources/input-0/00000000000000000000.wal")),
        "the segment is not where the checkpoint directory names it");
  }

  private static java.io.File local(Path path) {
    return new java.io.File(path.toUri());
  }

  private static void flipByte(Path segment, long offset) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(local(segment), "rw")) {
      file.seek(offset);
      int b = file.read();
      file.seek(offset);
      file.write(b ^ 0x40);
    }
  }
}
