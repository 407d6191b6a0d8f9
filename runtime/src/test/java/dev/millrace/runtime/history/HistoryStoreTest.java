package dev.millrace.runtime.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.config.StreamingOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history in a local checkpoint directory, as real files. */
class HistoryStoreTest {
  @TempDir Path dir;

  static BatchSummary completed(int run, long time, long records) {
    return new BatchSummary(
        run,
        run,
        time,
        time + 1,
        time + 2,
        time + 9,
        records,
        Map.of("queueStream#0", records),
        BatchStatus.COMPLETED,
        null);
  }

  private HistoryStore store(Path checkpoint) {
    return HistoryStore.in(checkpoint.toString(), StreamingOptions.hadoopConfiguration());
  }

  private List<String> files(Path checkpoint) throws Exception {
    try (Stream<Path> files = Files.list(checkpoint.resolve(HistoryStore.DIRECTORY))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void savedBatchesLoadBackAsTheyWereAndTheNewestSaveReplacesTheOlder() throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    HistoryStore store = store(checkpoint);
    BatchSummary failed =
        new BatchSummary(
            1, 1, 300, 301, 302, 305, -1, Map.of(), BatchStatus.FAILED, "it broke: \"x\"\nthere");
    assertTrue(store.save(1, 1, List.of(completed(1, 100, 5))));
    assertTrue(store.save(1, 2, List.of(completed(1, 100, 5), completed(1, 200, 6), failed)));

    assertEquals(List.of(completed(1, 100, 5), completed(1, 200, 6), failed), store.load());
    assertEquals(
        List.of("batches-0000000001-00000000000000000002.jsonl"),
        files(checkpoint),
        "the older save is deleted once the newer is whole");
  }

  @Test
  void aFileCutShortByACrashIsSkippedForTheOneBeforeIt() throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    HistoryStore store = store(checkpoint);
    store.save(1, 1, List.of(completed(1, 100, 5)));
    Path older = checkpoint.resolve(HistoryStore.DIRECTORY).resolve(files(checkpoint).get(0));
    String whole = Files.readString(older, StandardCharsets.UTF_8);
    // What a driver killed while writing run 2's first save leaves: a header and half a line.
    Files.writeString(
        older.resolveSibling("batches-0000000002-00000000000000000001.jsonl"),
        whole.substring(0, whole.length() - 20),
        StandardCharsets.UTF_8);

    assertEquals(List.of(completed(1, 100, 5)), store.load());
    assertEquals(2, store.restore(10, 7).run(), "the run after the highest run seen");
  }

  @Test
  void nothingIsSavedBeforeTheEngineCreatedTheCheckpointDirectory() throws Exception {
    Path checkpoint = dir.resolve("not-yet");
    HistoryStore store = store(checkpoint);
    assertFalse(store.save(1, 1, List.of(completed(1, 100, 5))));
    assertFalse(Files.exists(checkpoint), "a directory made here would look like a damaged one");
    assertEquals(List.of(), store.load());
  }

  @Test
  void anOlderRunsDriverStillWritingIsIgnoredAndItsFilesOutlivedByTheNewerRuns() throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    HistoryStore store = store(checkpoint);
    store.save(2, 1, List.of(completed(1, 100, 5), completed(2, 200, 6)));
    // A driver of run 1 whose lease was taken over saves once more.
    store.save(1, 9, List.of(completed(1, 100, 5), completed(1, 200, 99)));

    assertEquals(List.of(completed(1, 100, 5), completed(2, 200, 6)), store.load());
    store.save(2, 2, List.of(completed(1, 100, 5), completed(2, 200, 6), completed(2, 300, 7)));
    assertEquals(List.of("batches-0000000002-00000000000000000002.jsonl"), files(checkpoint));
  }

  @Test
  void anUnreadableHistoryStartsAnEmptyOneRatherThanStoppingTheDriver() throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    Files.writeString(
        Files.createDirectories(checkpoint.resolve(HistoryStore.DIRECTORY))
            .resolve("batches-0000000001-00000000000000000001.jsonl"),
        "{\"format\":99,\"batches\":0}\n");
    BatchHistory history = store(checkpoint).restore(10, 2);
    assertEquals(1, history.run());
    assertEquals(0, history.page(null, 0, 10).total());
  }
}
