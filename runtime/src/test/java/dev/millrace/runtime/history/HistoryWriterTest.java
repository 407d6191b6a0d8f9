package dev.millrace.runtime.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.config.StreamingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Saving a history in the background, to real files. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistoryWriterTest {
  @TempDir Path dir;

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("never happened: " + what);
      }
      Thread.sleep(10);
    }
  }

  private static List<Long> times(List<BatchSummary> batches) {
    return batches.stream().map(BatchSummary::batchTime).toList();
  }

  private static List<BatchSummary> load(HistoryStore store) {
    try {
      return store.load();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void finishedBatchesAreSavedInTheBackgroundAndTheLastOnesWhenClosed() throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    HistoryStore store =
        HistoryStore.in(checkpoint.toString(), StreamingOptions.hadoopConfiguration());
    BatchHistory history = new BatchHistory(10, 1, List.of());
    HistoryWriter writer =
        HistoryWriter.start(history, store, "app", Duration.ofMillis(20), () -> true);
    BatchHistoryTest.run(history, 100, 1);
    BatchHistoryTest.run(history, 200, 2);
    await(() -> load(store).size() == 2, "two batches saved");

    // A day between saves: only the close saves batch 300.
    writer.close();
    HistoryWriter slow = HistoryWriter.start(history, store, "app", Duration.ofDays(1), () -> true);
    BatchHistoryTest.run(history, 300, 3);
    slow.close();
    assertEquals(List.of(100L, 200L, 300L), times(load(store)));
  }

  @Test
  void aDriverThatRanNoBatchOfItsOwnSavesNothingAndLeavesTheEarlierRunsFilesAsTheyAre()
      throws Exception {
    // A driver refused by the checkpoint's lease restores the history, runs no batch and stops:
    // a save of its run would outrank the files of the driver that does run.
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    HistoryStore store =
        HistoryStore.in(checkpoint.toString(), StreamingOptions.hadoopConfiguration());
    store.save(1, 1, List.of(HistoryStoreTest.completed(1, 100, 5)));
    BatchHistory refused = store.restore(10, 2);
    HistoryWriter.start(refused, store, "app", Duration.ofMillis(5), () -> true).close();

    try (java.util.stream.Stream<Path> files =
        Files.list(checkpoint.resolve(HistoryStore.DIRECTORY))) {
      assertEquals(
          List.of("batches-0000000001-00000000000000000001.jsonl"),
          files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void onceAnotherDriverHoldsTheLeaseNothingMoreIsSaved() throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    HistoryStore store =
        HistoryStore.in(checkpoint.toString(), StreamingOptions.hadoopConfiguration());
    BatchHistory history = new BatchHistory(10, 1, List.of());
    java.util.concurrent.atomic.AtomicBoolean held =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    HistoryWriter writer =
        HistoryWriter.start(history, store, "app", Duration.ofMillis(5), held::get);
    BatchHistoryTest.run(history, 100, 1);
    await(() -> load(store).size() == 1, "batch 100 saved while the lease is held");
    held.set(false);
    BatchHistoryTest.run(history, 200, 2);
    writer.close();
    assertEquals(List.of(100L), times(load(store)), "nothing saved after the takeover");
  }

  @Test
  void aSaveThatFailsIsRetriedAndNeverReachesTheBatches() throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    // A file where the history's directory belongs: every save fails until it is gone.
    Path blocker = Files.writeString(checkpoint.resolve(HistoryStore.DIRECTORY), "in the way");
    HistoryStore store =
        HistoryStore.in(checkpoint.toString(), StreamingOptions.hadoopConfiguration());
    BatchHistory history = new BatchHistory(10, 1, List.of());
    try (HistoryWriter writer =
        HistoryWriter.start(history, store, "app", Duration.ofMillis(20), () -> true)) {
      BatchHistoryTest.run(history, 100, 1);
      Thread.sleep(100);
      BatchHistoryTest.run(history, 200, 2);
      assertEquals(2, history.finished().size(), "the batches went on");
      Files.delete(blocker);
      await(() -> load(store).size() == 2, "the history saved once the way was free");
    }
  }
}
