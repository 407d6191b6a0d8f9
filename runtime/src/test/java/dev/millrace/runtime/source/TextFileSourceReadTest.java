package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.task.TaskRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a batch of a text file stream reads its files: each split of its plan is a partition, read by
 * {@link TextFileSource#read} when a task computes it, kept for the batch's other readers, and
 * counted.
 */
class TextFileSourceReadTest {
  @TempDir Path dir;
  private final TaskRunner runner = new TaskRunner(2, "test");

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "\n",
        "\n\n",
        "no newline",
        "a\nb\n",
        "a\r\nb\r\n\r\n",
        "\u00e9\u6f22\ud83d\ude42\n\u20ac\u20ac\nlast \u00df",
        "x\n\u6f22\u6f22\u6f22\n\n\ud83d\ude42\r\ny"
      })
  void readsEveryLineOnceWhereverTwoSplitsMeet(String text) throws IOException {
    Path file = file(text);
    long size = Files.size(file);
    List<String> expected = Files.readAllLines(file, StandardCharsets.UTF_8);

    for (long cut = 0; cut <= size; cut++) {
      List<FilePart> splits = List.of(split(file, 0, cut), split(file, cut, size));
      assertEquals(expected, read(file, splits), "split at byte " + cut + " of " + size);
    }
  }

  @Test
  void readsEveryLineOnceWithManyRandomSplits() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      Path file =
          file(
              TextFileSourceTest.randomText(
                  random, 4_000, random.nextBoolean(), random.nextBoolean()));
      long size = Files.size(file);
      TreeSet<Long> cuts = new TreeSet<>(List.of(0L, size));
      for (int i = random.nextInt(20); i > 0; i--) {
        cuts.add((long) random.nextInt((int) size + 1));
      }
      List<FilePart> splits = new ArrayList<>();
      Long previous = null;
      for (long cut : cuts) {
        if (previous != null) {
          splits.add(split(file, previous, cut));
        }
        previous = cut;
      }

      assertEquals(
          Files.readAllLines(file, StandardCharsets.UTF_8), read(file, splits), "cuts " + cuts);
    }
  }

  @Test
  void hasOnePartitionPerSplitInSplitOrder() throws IOException {
    Path first = file("1\n2\n3\n4\n");
    Path second = file("5\n");
    PlannedDataset<String, FilePart> ds =
        batch("files", split(first, 0, 4), split(first, 4, 8), split(second, 0, 2));

    assertEquals(3, ds.numPartitions());
    assertEquals(List.of("1", "2"), ds.collectPartition(0));
    assertEquals(List.of("3", "4"), ds.collectPartition(1));
    assertEquals(List.of("5"), ds.collectPartition(2));
    assertEquals(5, ds.size());
  }

  @Test
  void emptyBatchHasOneEmptyPartition() {
    PlannedDataset<String, FilePart> ds = batch("files");

    assertEquals(1, ds.numPartitions());
    assertEquals(List.of(), ds.collectPartition(0));
    assertEquals(0, ds.size());
  }

  @Test
  void readsItsFilesWhenComputedNotWhenCreated() throws IOException {
    Path file = dir.resolve("written-after-planning.txt");
    Dataset<String> ds = batch("lazy", split(file, 0, 2));
    Files.writeString(file, "a\n");

    assertEquals(List.of("a"), runner.collect(ds));
  }

  @Test
  void computesAPartitionFromItsOwnSplitAloneAndCountsIt() throws IOException {
    Path first = file("1\n2\n");
    Path second = file("3\n");
    PlannedDataset<String, FilePart> ds = twoFiles(first, second, lines -> {});
    Files.delete(first);

    assertEquals(List.of("3"), ds.collectPartition(1));
    assertEquals(Map.of(1, 1L), ds.countedPartitions());
  }

  @Test
  void aPartitionIsReadOnceAndTheSizeReadsOnlyWhatNoTaskRead() throws IOException {
    Path first = file("1\n2\n");
    Path second = file("3\n");
    List<Long> told = new ArrayList<>();
    PlannedDataset<String, FilePart> ds = twoFiles(first, second, told::add);

    assertEquals(List.of("1", "2"), ds.collectPartition(0));
    Files.delete(first);

    assertEquals(List.of("1", "2"), ds.collectPartition(0));
    assertEquals(List.of(), told);
    assertEquals(3, ds.size());
    assertEquals(3, ds.size());
    assertEquals(List.of(3L), told);
  }

  @Test
  void countsMadeElsewhereGiveTheSizeWithoutReadingTheFiles() throws IOException {
    Path first = file("1\n2\n");
    Path second = file("3\n");
    List<Long> told = new ArrayList<>();
    PlannedDataset<String, FilePart> ds = twoFiles(first, second, told::add);
    Files.delete(first);
    Files.delete(second);

    ds.countedElsewhere(0, 2);
    ds.countedElsewhere(1, 1);
    ds.countedElsewhere(1, 1);

    assertEquals(3, ds.size());
    assertEquals(List.of(3L), told);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ds.countedElsewhere(2, 5));
    assertTrue(e.getMessage().contains("has 2 splits"), e.getMessage());
  }

  @Test
  void namesInputFileDeletedBeforeItsBatchRan() throws IOException {
    Path file = file("gone\n");
    PlannedDataset<String, FilePart> ds = batch("files", split(file, 0, 5));
    Files.delete(file);

    UncheckedIOException e = assertThrows(UncheckedIOException.class, ds::size);

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("deleted before the batch read it"), e.getMessage());
    assertEquals(Map.of(), ds.countedPartitions());
  }

  /**
   * {@code first} ("1\n2\n") and {@code second} ("3\n"), a split each, telling {@code onCounted}
   * how many lines the batch held once every split is counted.
   */
  private PlannedDataset<String, FilePart> twoFiles(
      Path first, Path second, LongConsumer onCounted) {
    return new PlannedDataset<>(
        new TestingCountsTold(new TextFileSource(dir, 1, "files"), onCounted),
        List.of(split(first, 0, 4), split(second, 0, 2)));
  }

  private PlannedDataset<String, FilePart> batch(String streamName, FilePart... splits) {
    return new PlannedDataset<>(new TextFileSource(dir, 1, streamName), List.of(splits));
  }

  private List<String> read(Path file, List<FilePart> splits) {
    return runner.collect(new PlannedDataset<>(new TextFileSource(dir, 1, "files"), splits));
  }

  /** Bytes {@code start} to {@code end} of {@code file}, as a batch plans them. */
  private static FileSplit split(Path file, long start, long end) {
    return new FileSplit(
        new ListedFile(file.toString(), file.getFileName().toString(), 0, end), start, end);
  }

  private Path file(String text) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "input", ".txt"), text);
  }
}
