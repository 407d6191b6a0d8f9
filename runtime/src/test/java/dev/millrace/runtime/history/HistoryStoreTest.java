package dev.millrace.runtime.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.config.StreamingOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /**
   * A completed batch with every detail: three outputs, four stages (one on two executors) and two
   * inputs' parts, the {@code partsPerInput} first of {@code totalParts} each.
   */
  static BatchSummary detailed(int run, long time, int partsPerInput, int totalParts) {
    List<String> files = new ArrayList<>();
    List<String> ranges = new ArrayList<>();
    for (int i = 0; i < partsPerInput; i++) {
      files.add(
          "hdfs://namenode:8020/data/landing/events/2026/12/07/part-"
              + time
              + "-"
              + i
              + ".txt"
              + " [0, 134217728)");
      ranges.add("events-" + i + " [" + time * 10 + ", " + (time * 10 + 500) + ")");
    }
    return new BatchSummary(
        run,
        run,
        time,
        time + 1,
        time + 2,
        time + 9,
        1000,
        Map.of("textFileStream#0", 600L, "kafkaStream#1", 400L),
        BatchStatus.COMPLETED,
        null,
        List.of(
            new OutputSummary(0, "foreachBatch", "reduceByKey#3", time + 2, time + 4, null),
            new OutputSummary(1, "saveAsTextFiles", "map#5", time + 4, time + 6, null),
            new OutputSummary(2, "print", "updateStateByKey#6", time + 6, time + 9, null)),
        List.of(
            new StageSummary(
                "shuffle",
                "reduceByKey#3",
                time + 2,
                1200,
                8,
                1,
                List.of(
                    new StageSummary.Ran("exec-1", "10.0.0.7", 4),
                    new StageSummary.Ran("exec-2", "10.0.0.8", 4)),
                40960),
            new StageSummary(
                "output",
                "foreachBatch of reduceByKey#3",
                time + 3,
                300,
                2,
                0,
                List.of(new StageSummary.Ran("driver", null, 2)),
                -1),
            new StageSummary(
                "state",
                "updateStateByKey#6",
                time + 6,
                900,
                2,
                0,
                List.of(new StageSummary.Ran("driver", null, 2)),
                -1),
            new StageSummary(
                "output",
                "print of updateStateByKey#6",
                time + 8,
                100,
                1,
                0,
                List.of(new StageSummary.Ran("driver", null, 1)),
                -1)),
        List.of(
            new PartsSummary("textFileStream#0", totalParts, files),
            new PartsSummary("kafkaStream#1", totalParts, ranges)));
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
  void aBatchsOutputsStagesAndInputPartsAreSavedAndLoadBack() throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    HistoryStore store = store(checkpoint);
    BatchSummary failed =
        new BatchSummary(
            1,
            1,
            300,
            301,
            302,
            305,
            -1,
            Map.of(),
            BatchStatus.FAILED,
            "it broke",
            List.of(new OutputSummary(0, "foreachBatch", "map#1", 302, 305, "java.io.IOException")),
            List.of(),
            List.of(new PartsSummary("queueStream#0", 1, List.of("3 records"))));
    List<BatchSummary> batches =
        List.of(detailed(1, 100, 2, 2), detailed(1, 200, 20, 10_000), failed);
    assertTrue(store.save(1, 1, batches));

    assertEquals(batches, store.load());
  }

  @Test
  void aHistorySavedBeforeTheDetailsWereKeptLoadsWithNoneOfThem() throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    Path saved = Files.createDirectories(checkpoint.resolve(HistoryStore.DIRECTORY));
    // The bytes the first version of the history wrote, before outputs, stages and parts.
    Files.writeString(
        saved.resolve("batches-0000000001-00000000000000000001.jsonl"),
        "{\"format\":1,\"batches\":2}\n"
            + "{\"run\":1,\"attempt\":1,\"batchTime\":100,\"submissionTime\":101,"
            + "\"processingStartTime\":102,\"processingEndTime\":109,\"records\":5,"
            + "\"inputRecords\":{\"queueStream#0\":5},\"status\":\"COMPLETED\"}\n"
            + "{\"run\":1,\"attempt\":1,\"batchTime\":300,\"submissionTime\":301,"
            + "\"processingStartTime\":302,\"processingEndTime\":305,\"records\":-1,"
            + "\"inputRecords\":{},\"status\":\"FAILED\",\"error\":\"it broke\"}\n",
        StandardCharsets.UTF_8);

    List<BatchSummary> loaded = store(checkpoint).load();

    assertEquals(
        List.of(
            completed(1, 100, 5),
            new BatchSummary(
                1, 1, 300, 301, 302, 305, -1, Map.of(), BatchStatus.FAILED, "it broke")),
        loaded);
    assertEquals(List.of(), loaded.get(0).outputs());
    assertEquals(List.of(), loaded.get(0).stages());
    assertEquals(List.of(), loaded.get(0).inputParts());
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
