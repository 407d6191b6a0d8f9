package dev.millrace.runtime.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.streaming.Pair;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * The core behaviour every file system must show; each subclass runs it against one file system.
 */
abstract class CheckpointStoreScenarios {

  /** A fresh, not yet existing checkpoint directory URI for each call. */
  abstract String newDirectoryUri();

  abstract Configuration conf();

  CheckpointStore newStore(int retainGenerations) {
    return new CheckpointStore(newDirectoryUri(), conf(), retainGenerations);
  }

  static Map<String, byte[]> files(String... nameThenContent) {
    Map<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < nameThenContent.length; i += 2) {
      files.put(nameThenContent[i], nameThenContent[i + 1].getBytes(UTF_8));
    }
    return files;
  }

  /** Replaces a file under the store's directory through the Hadoop file system. */
  void overwrite(CheckpointStore store, String relativePath, byte[] content) throws IOException {
    Path path = new Path(store.uri() + "/" + relativePath);
    FileSystem fs = path.getFileSystem(conf());
    try (FSDataOutputStream out = fs.create(path, true)) {
      out.write(content);
    }
  }

  /** What {@link CheckpointStore#latestValid()} returned, and what it logged meanwhile. */
  record LatestValid(Optional<Generation> generation, String log) {}

  static LatestValid latestValidLogged(CheckpointStore store) {
    try (CapturedStderr stderr = new CapturedStderr()) {
      Optional<Generation> generation = store.latestValid();
      return new LatestValid(generation, stderr.text());
    }
  }

  @Test
  void statePartsWrittenByOwnersAreReadBackThroughTheReferenceAndADamagedOneIsRefused()
      throws IOException {
    CheckpointStore store = newStore(2);
    RecordCodec codec = RecordCodec.standard();
    List<CheckpointStore.StatePart> parts = new ArrayList<>();
    parts.add(store.writeStatePart(4_000, 7, 0, codec.encode(List.of(Pair.of("a", 1)))));
    parts.add(
        store.writeStatePart(4_000, 7, 1, codec.encode(List.of(Pair.of("b", 2), Pair.of("c", 3)))));
    List<Object> snapshot = List.of(StateParts.reference(4_000, 7, parts), 9L);

    assertEquals(
        List.of(List.of(Pair.of("a", 1), Pair.of("b", 2), Pair.of("c", 3)), 9L),
        StateParts.resolve(snapshot, store, codec, p -> true));
    assertEquals(
        List.of(List.of(Pair.of("b", 2), Pair.of("c", 3)), 9L),
        StateParts.resolve(snapshot, store, codec, p -> p == 1));

    store.writeStatePart(4_000, 7, 1, codec.encode(List.of(Pair.of("b", 2))));
    CheckpointException damaged =
        assertThrows(
            CheckpointException.class, () -> StateParts.resolve(snapshot, store, codec, p -> true));
    assertTrue(damaged.getMessage().contains("is damaged"), damaged.getMessage());
  }

  @Test
  void aDirectorySetAsideKeepsItsGenerationsAndTheNextStoreThereStartsEmpty() {
    String uri = newDirectoryUri();
    new CheckpointStore(uri, conf(), 2).writeGeneration(5_000, Map.of("state-0", new byte[] {1}));

    String aside = CheckpointStore.setAside(uri, conf(), Instant.ofEpochMilli(42)).orElseThrow();

    assertTrue(aside.endsWith(".set-aside-42"), aside);
    assertEquals(
        5_000, new CheckpointStore(aside, conf(), 2).latestValid().orElseThrow().batchTime());
    assertEquals(Optional.empty(), new CheckpointStore(uri, conf(), 2).latestValid());
    assertEquals(
        Optional.empty(), CheckpointStore.setAside(newDirectoryUri(), conf(), Instant.now()));
  }

  @Test
  void writtenGenerationIsReadBackWithTheSameFiles() {
    CheckpointStore store = newStore(10);
    Map<String, byte[]> files =
        files("state-counts-0", "a=1", "state-counts-1", "", "offsets", "7");

    store.writeGeneration(1000, files);

    Generation read = store.latestValid().orElseThrow();
    assertEquals(1000, read.batchTime());
    assertEquals(files.keySet(), read.files().keySet());
    files.forEach((name, bytes) -> assertArrayEquals(bytes, read.files().get(name), name));
    assertEquals(new Generation(1000, files), read);
  }

  @Test
  void corruptNewestGenerationFallsBackToThePreviousOneWithAWarningNamingTheFile()
      throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("state", "old state"));
    store.writeGeneration(2000, files("state", "new state"));
    overwrite(store, "generations/00000000000000002000/state", "NEW state".getBytes(UTF_8));

    LatestValid latest = latestValidLogged(store);
    Optional<Generation> read = latest.generation();
    String log = latest.log();

    assertEquals(new Generation(1000, files("state", "old state")), read.orElseThrow());
    assertTrue(log.contains("WARN"), log);
    assertTrue(log.contains("generations/00000000000000002000/state is corrupt: CRC32"), log);
  }

  @Test
  void aGenerationLeftHalfMovedIsSkippedWithAWarningAndWritingItAgainRepairsIt()
      throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("state", "old state"));
    Map<String, byte[]> newer = files("state", "new state", "source-0", "7");
    store.writeGeneration(2000, newer);
    // What a writer killed half-way through moving the generation into place leaves on S3, whose
    // rename copies object by object and deletes the originals as it goes: some files are missing.
    Path moved = new Path(store.uri() + "/generations/00000000000000002000/source-0");
    assertTrue(moved.getFileSystem(conf()).delete(moved, false), moved.toString());

    LatestValid latest = latestValidLogged(store);
    Optional<Generation> read = latest.generation();
    String log = latest.log();

    assertEquals(new Generation(1000, files("state", "old state")), read.orElseThrow());
    assertTrue(log.contains("generations/00000000000000002000/source-0 is missing"), log);
    store.writeGeneration(2000, newer);
    assertEquals(new Generation(2000, newer), store.latestValid().orElseThrow());
  }

  @Test
  void loggedBatchesListEveryPlanInTimeOrderWithItsDoneMark() {
    CheckpointStore store = newStore(10);
    store.recordPlan(new BatchPlan(3000, List.of("plan 3".getBytes(UTF_8))));
    store.recordPlan(new BatchPlan(1000, List.of("plan 1".getBytes(UTF_8))));
    store.recordPlan(new BatchPlan(2000, List.of("plan 2".getBytes(UTF_8))));
    store.recordPlan(new BatchPlan(4000, List.of(new byte[0])));
    store.markDone(1000);
    store.markDone(3000);

    assertEquals(
        List.of(
            new BatchPlan(1000, List.of("plan 1".getBytes(UTF_8))),
            new BatchPlan(2000, List.of("plan 2".getBytes(UTF_8))),
            new BatchPlan(3000, List.of("plan 3".getBytes(UTF_8))),
            new BatchPlan(4000, List.of(new byte[0]))),
        store.loggedBatches().batches());
    assertEquals(new TreeSet<>(List.of(1000L, 3000L)), store.loggedBatches().done());
  }

  @Test
  void replayLogAfterAGenerationReadsOnlyLaterPlansSoADamagedOlderOneCostsNothing()
      throws IOException {
    CheckpointStore store = newStore(10);
    for (long t = 1000; t <= 4000; t += 1000) {
      store.recordPlan(new BatchPlan(t, List.of(("plan " + t).getBytes(UTF_8))));
      store.markDone(t);
    }
    store.markDone(5000);
    overwrite(store, "batches/00000000000000002000.plan", new byte[] {1, 2, 3});

    ReplayLog afterTwo = store.replayLogAfter(2000);
    ReplayLog afterOne = store.replayLogAfter(1000);

    assertEquals(
        List.of(
            new BatchPlan(3000, List.of("plan 3000".getBytes(UTF_8))),
            new BatchPlan(4000, List.of("plan 4000".getBytes(UTF_8)))),
        afterTwo.batches());
    assertEquals(new TreeSet<>(List.of(3000L, 4000L)), afterTwo.done());
    assertEquals(List.of(), afterTwo.damaged());
    assertEquals(new TreeSet<>(List.of(5000L)), afterTwo.doneWithoutPlan());
    assertEquals(List.of(2000L), afterOne.damaged().stream().map(DamagedPlan::batchTime).toList());
    assertTrue(
        afterOne.damaged().get(0).path().endsWith("batches/00000000000000002000.plan"),
        afterOne.damaged().get(0).path());
    assertTrue(
        afterOne.damaged().get(0).reason().contains("shorter than the 16-byte header"),
        afterOne.damaged().get(0).reason());
    assertEquals(
        List.of(3000L, 4000L), afterOne.batches().stream().map(BatchPlan::batchTime).toList());
  }

  @Test
  void aForgottenDoneMarkLeavesTheBatchPlannedButNotDone() {
    CheckpointStore store = newStore(10);
    store.recordPlan(new BatchPlan(1000, List.of("plan".getBytes(UTF_8))));
    store.markDone(1000);

    store.forgetDoneMark(1000);
    store.forgetDoneMark(2000);

    assertEquals(
        List.of(new BatchPlan(1000, List.of("plan".getBytes(UTF_8)))),
        store.loggedBatches().batches());
    assertEquals(new TreeSet<>(List.of()), store.loggedBatches().done());
    assertTrue(store.hasLoggedBatches());
  }

  @Test
  void oneFileOfAGenerationIsReadBackOnlyWhenItAndItsManifestVerify() throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("source-0", "position", "state-0", "state"));

    assertArrayEquals(
        "position".getBytes(UTF_8), store.readGenerationFile(1000, "source-0").orElseThrow());
    assertEquals(Optional.empty(), store.readGenerationFile(1000, "source-1"));
    assertEquals(Optional.empty(), store.readGenerationFile(2000, "source-0"));
    overwrite(store, "generations/00000000000000001000/source-0", "POSITION".getBytes(UTF_8));
    assertEquals(Optional.empty(), store.readGenerationFile(1000, "source-0"));
  }
}
