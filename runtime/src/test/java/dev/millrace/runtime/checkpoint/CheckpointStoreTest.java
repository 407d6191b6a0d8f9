package dev.millrace.runtime.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.batch.BatchPlan;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest extends CheckpointStoreScenarios {
  @TempDir Path temp;
  private int directories;

  @Override
  String newDirectoryUri() {
    return temp.resolve("ckpt-" + ++directories).toUri().toString();
  }

  @Override
  Configuration conf() {
    return new Configuration();
  }

  private Path dir(CheckpointStore store) {
    return Path.of(URI.create(store.uri()));
  }

  private Path generation(CheckpointStore store, long batchTime) {
    return dir(store).resolve("generations").resolve(String.format("%020d", batchTime));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String warningsWhileReading(CheckpointStore store, long expectedBatchTime) {
    try (CapturedStderr stderr = new CapturedStderr()) {
      assertEquals(expectedBatchTime, store.latestValid().orElseThrow().batchTime());
      return stderr.text();
    }
  }

  @Test
  void newDirectoryHasNoGenerationNoBatchesAndNoAppManifest() {
    CheckpointStore store = newStore(10);

    assertEquals(Optional.empty(), store.latestValid());
    assertEquals(List.of(), store.loggedBatches().batches());
    assertEquals(Optional.empty(), store.readAppManifest());
  }

  @Test
  void latestValidIsTheNewestOfSeveralGenerationsWhateverTheWriteOrder() {
    CheckpointStore store = newStore(10);
    store.writeGeneration(2000, files("s", "two"));
    store.writeGeneration(10_000, files("s", "ten"));
    store.writeGeneration(3000, files("s", "three"));

    assertEquals(new Generation(10_000, files("s", "ten")), store.latestValid().orElseThrow());
  }

  @Test
  void plainLocalPathIsTreatedAsFileUri() {
    String plain = temp.resolve("plain").toString();

    CheckpointStore store = new CheckpointStore(plain, conf(), 10);
    store.writeGeneration(1000, files("s", "x"));

    assertEquals("file", URI.create(store.uri()).getScheme());
    assertTrue(Files.isDirectory(temp.resolve("plain/generations/00000000000000001000")));
    assertEquals(
        1000,
        new CheckpointStore("file://" + plain, conf(), 10).latestValid().orElseThrow().batchTime());
  }

  @Test
  void truncatedFileInNewestGenerationFallsBackToThePreviousOne() throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("s", "first"));
    store.writeGeneration(2000, files("s", "second"));
    Path truncated = generation(store, 2000).resolve("s");
    Files.write(truncated, "sec".getBytes(UTF_8));

    String log = warningsWhileReading(store, 1000);

    assertTrue(
        log.contains(truncated.toString() + " is corrupt: length 3 bytes, the manifest says 6"),
        log);
  }

  @Test
  void flippedByteInNewestGenerationFallsBackToThePreviousOne() throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("s", "first"));
    store.writeGeneration(2000, files("s", "second", "t", "other"));
    Path flipped = generation(store, 2000).resolve("t");
    byte[] bytes = Files.readAllBytes(flipped);
    bytes[2] ^= 1;
    Files.write(flipped, bytes);

    String log = warningsWhileReading(store, 1000);

    assertTrue(log.contains(flipped + " is corrupt: CRC32"), log);
  }

  @Test
  void missingManifestOrFileInNewerGenerationsFallsBackPastBoth() throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("s", "first"));
    store.writeGeneration(2000, files("s", "second"));
    store.writeGeneration(3000, files("s", "third"));
    Files.delete(generation(store, 3000).resolve("_MANIFEST"));
    Files.delete(generation(store, 2000).resolve("s"));

    String log = warningsWhileReading(store, 1000);

    assertTrue(log.contains(generation(store, 3000).resolve("_MANIFEST") + " is missing"), log);
    assertTrue(log.contains(generation(store, 2000).resolve("s") + " is missing"), log);
    assertEquals(2, log.lines().filter(line -> line.contains("WARN")).count(), log);
  }

  @Test
  void malformedManifestFallsBackToThePreviousGeneration() throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("s", "first"));
    store.writeGeneration(2000, files("s", "second"));
    Files.write(generation(store, 2000).resolve("_MANIFEST"), "garbage".getBytes(UTF_8));

    String log = warningsWhileReading(store, 1000);

    assertTrue(log.contains("_MANIFEST is malformed"), log);
  }

  @Test
  void noValidGenerationAtAllIsEmpty() throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("s", "first"));
    Files.delete(generation(store, 1000).resolve("_MANIFEST"));

    try (CapturedStderr ignored = new CapturedStderr()) {
      assertEquals(Optional.empty(), store.latestValid());
    }
  }

  @Test
  void generationFromANewerMillraceIsRefusedRatherThanSkipped() throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("s", "first"));
    store.writeGeneration(2000, files("s", "second"));
    Path manifest = generation(store, 2000).resolve("_MANIFEST");
    Files.writeString(
        manifest, Files.readString(manifest).replace("formatVersion=1", "formatVersion=2"));

    UnsupportedCheckpointVersionException e =
        assertThrows(UnsupportedCheckpointVersionException.class, store::latestValid);

    assertTrue(e.getMessage().contains(manifest.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("written by a newer Millrace"), e.getMessage());
  }

  @Test
  void retentionKeepsExactlyTheNewestGenerations() throws IOException {
    CheckpointStore store = newStore(3);
    for (long t = 1000; t <= 6000; t += 1000) {
      store.writeGeneration(t, files("s", "at " + t));
    }

    assertEquals(
        List.of("00000000000000004000", "00000000000000005000", "00000000000000006000"),
        names(dir(store).resolve("generations")));
  }

  @Test
  void rewritingAGenerationReplacesAllItsFiles() throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("a", "old a", "b", "old b"));

    store.writeGeneration(1000, files("a", "new a"));

    assertEquals(new Generation(1000, files("a", "new a")), store.latestValid().orElseThrow());
    assertEquals(List.of("00000000000000001000"), names(dir(store).resolve("generations")));
  }

  @Test
  void generationCaughtHalfwayThroughReplacementIsStillFound() throws IOException {
    CheckpointStore store = newStore(10);
    store.writeGeneration(1000, files("s", "first"));
    store.writeGeneration(2000, files("s", "second"));
    Files.move(
        generation(store, 2000),
        dir(store).resolve("generations/.replaced-00000000000000002000-1a2b"));

    String log = warningsWhileReading(store, 2000);

    assertTrue(log.contains("was being replaced"), log);
  }

  @Test
  void staleTemporaryDirectoriesOlderThanTheNewestGenerationAreDeletedAfterAWrite()
      throws IOException {
    CheckpointStore store = newStore(10);
    Path generations = dir(store).resolve("generations");
    Files.createDirectories(generations.resolve(".tmp-00000000000000001000-abc/s"));
    Files.createDirectories(generations.resolve(".tmp-00000000000000009000-abc"));

    store.writeGeneration(2000, files("s", "x"));

    assertEquals(
        List.of(".tmp-00000000000000009000-abc", "00000000000000002000"), names(generations));
  }

  @Test
  void fileNamesThatCouldCollideWithTheLayoutAreRejected() {
    CheckpointStore store = newStore(10);

    for (String bad : List.of("_MANIFEST", ".hidden", "a/b", "", "a b")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> store.writeGeneration(1000, files(bad, "x")),
              bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void truncatedPlanIsReportedNamingTheFileInsteadOfSkipped() throws IOException {
    CheckpointStore store = newStore(10);
    store.recordPlan(new BatchPlan(1000, List.of("plan one".getBytes(UTF_8))));
    Path plan = dir(store).resolve("batches/00000000000000001000.plan");
    byte[] bytes = Files.readAllBytes(plan);
    Files.write(plan, Arrays.copyOf(bytes, bytes.length - 2));

    CorruptBatchPlanException e =
        assertThrows(CorruptBatchPlanException.class, store::loggedBatches);

    assertEquals(plan.toUri(), URI.create(e.path()));
    assertEquals(1000, e.batchTime());
    assertTrue(e.getMessage().contains(plan.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("delete it to skip that batch"), e.getMessage());
  }

  @Test
  void planWithAFlippedByteIsReportedAsCorrupt() throws IOException {
    CheckpointStore store = newStore(10);
    store.recordPlan(new BatchPlan(1000, List.of("plan one".getBytes(UTF_8))));
    Path plan = dir(store).resolve("batches/00000000000000001000.plan");
    byte[] bytes = Files.readAllBytes(plan);
    bytes[bytes.length - 1] ^= 1;
    Files.write(plan, bytes);

    CorruptBatchPlanException e =
        assertThrows(CorruptBatchPlanException.class, store::loggedBatches);

    assertTrue(e.getMessage().contains("CRC32"), e.getMessage());
  }

  @Test
  void corruptPlanOfADoneBatchIsReportedToo() throws IOException {
    // A done batch is replayed to rebuild state, so its plan matters as much as a pending one's.
    CheckpointStore store = newStore(10);
    store.recordPlan(new BatchPlan(1000, List.of("plan one".getBytes(UTF_8))));
    store.markDone(1000);
    Files.write(dir(store).resolve("batches/00000000000000001000.plan"), new byte[3]);

    CorruptBatchPlanException e =
        assertThrows(CorruptBatchPlanException.class, store::loggedBatches);

    assertTrue(e.getMessage().contains("shorter than the 16-byte header"), e.getMessage());
  }

  @Test
  void recordingAPlanAgainReplacesIt() {
    CheckpointStore store = newStore(10);
    store.recordPlan(new BatchPlan(1000, List.of("first".getBytes(UTF_8))));

    store.recordPlan(new BatchPlan(1000, List.of("second".getBytes(UTF_8))));

    assertEquals(
        List.of(new BatchPlan(1000, List.of("second".getBytes(UTF_8)))),
        store.loggedBatches().batches());
    assertEquals(new TreeSet<>(List.of()), store.loggedBatches().done());
  }

  @Test
  void forgetBatchesUpToDeletesPlansAndDoneMarksUpToAndIncludingThatTime() throws IOException {
    CheckpointStore store = newStore(10);
    for (long t = 1000; t <= 4000; t += 1000) {
      store.recordPlan(new BatchPlan(t, List.of(("plan " + t).getBytes(UTF_8))));
      store.markDone(t);
    }
    store.recordPlan(new BatchPlan(5000, List.of("plan 5000".getBytes(UTF_8))));

    store.forgetBatchesUpTo(3000);

    assertEquals(
        List.of(
            "00000000000000004000.done", "00000000000000004000.plan", "00000000000000005000.plan"),
        names(dir(store).resolve("batches")));
    assertEquals(
        List.of(
            new BatchPlan(4000, List.of("plan 4000".getBytes(UTF_8))),
            new BatchPlan(5000, List.of("plan 5000".getBytes(UTF_8)))),
        store.loggedBatches().batches());
    assertEquals(new TreeSet<>(List.of(4000L)), store.loggedBatches().done());
  }

  @Test
  void appManifestRoundTripsAnyNames() {
    CheckpointStore store = newStore(10);
    AppManifest manifest =
        new AppManifest(
            1,
            "word count = \\ fun\nsecond line",
            2000,
            4000,
            List.of("counts:String->Long", "a,b", "", "x=y\\n"));

    store.writeAppManifest(manifest);

    assertEquals(manifest, store.readAppManifest().orElseThrow());
  }

  @Test
  void appManifestIsReadableTextWithOneLinePerStatefulOperator() throws IOException {
    CheckpointStore store = newStore(10);

    store.writeAppManifest(new AppManifest(1, "wc", 1000, 0, List.of("counts", "windows")));

    assertEquals(
        "formatVersion=1\nappName=wc\nbatchIntervalMillis=1000\nzeroTimeMillis=0\n"
            + "statefulOperator=counts\nstatefulOperator=windows\n",
        Files.readString(dir(store).resolve("manifest")));
  }

  @Test
  void appManifestFromANewerMillraceIsRefusedNamingBothVersions() throws IOException {
    CheckpointStore store = newStore(10);
    Files.writeString(
        dir(store).resolve("manifest"),
        "formatVersion=7\nappName=wc\nbatchIntervalMillis=1000\nsomethingNew=1\n");

    UnsupportedCheckpointVersionException e =
        assertThrows(UnsupportedCheckpointVersionException.class, store::readAppManifest);

    assertTrue(e.getMessage().contains(dir(store).resolve("manifest").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("format version 7"), e.getMessage());
    assertTrue(e.getMessage().contains("reads format version 1"), e.getMessage());
    assertTrue(e.getMessage().contains("written by a newer Millrace"), e.getMessage());
  }

  @Test
  void malformedAppManifestIsReportedNamingTheFile() throws IOException {
    CheckpointStore store = newStore(10);
    Files.writeString(dir(store).resolve("manifest"), "formatVersion=1\nappName=wc\n");

    CheckpointException e = assertThrows(CheckpointException.class, store::readAppManifest);

    assertTrue(e.getMessage().contains("manifest is malformed"), e.getMessage());
  }

  @Test
  void unknownSchemeIsReportedWithTheUriAndWhatToCheck() {
    CheckpointException e =
        assertThrows(
            CheckpointException.class, () -> new CheckpointStore("nosuch://host/ckpt", conf(), 10));

    assertTrue(e.getMessage().contains("nosuch://host/ckpt"), e.getMessage());
    assertTrue(e.getMessage().contains("Check the URI's scheme"), e.getMessage());
  }

  @Test
  void fileInTheWayOfTheDirectoryIsReportedWithItsPath() throws IOException {
    Path inTheWay = Files.writeString(temp.resolve("not-a-dir"), "x");

    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> new CheckpointStore(inTheWay.resolve("ckpt").toString(), conf(), 10));

    assertTrue(e.getMessage().contains(inTheWay.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Check that no file has that name"), e.getMessage());
  }

  @Test
  void retainingFewerThanOneGenerationIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> newStore(0));

    assertTrue(e.getMessage().contains("retainGenerations is 0"), e.getMessage());
  }

  @Test
  void generationEqualityComparesFileContents() {
    assertEquals(new Generation(1, files("a", "x")), new Generation(1, files("a", "x")));
    assertArrayEquals(new byte[] {'x'}, new Generation(1, files("a", "x")).files().get("a"));
    assertTrue(!new Generation(1, files("a", "x")).equals(new Generation(1, files("a", "y"))));
  }
}
