package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.fs.FileAccess;
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

class TextFileDatasetTest {
  private static final FileAccess LOCAL = FileAccess.local();
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
      List<FileSplit> splits =
          List.of(
              new FileSplit(file.toString(), 0, cut), new FileSplit(file.toString(), cut, size));
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
      List<FileSplit> splits = new ArrayList<>();
      Long previous = null;
      for (long cut : cuts) {
        if (previous != null) {
          splits.add(new FileSplit(file.toString(), previous, cut));
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
    TextFileDataset ds =
        new TextFileDataset(
            "files",
            LOCAL,
            List.of(first.toString(), second.toString()),
            List.of(
                new FileSplit(first.toString(), 0, 4),
                new FileSplit(first.toString(), 4, 8),
                new FileSplit(second.toString(), 0, 2)));

    assertEquals(3, ds.numPartitions());
    assertEquals(List.of("1", "2"), ds.collectPartition(0));
    assertEquals(List.of("3", "4"), ds.collectPartition(1));
    assertEquals(List.of("5"), ds.collectPartition(2));
    assertEquals(5, ds.size());
  }

  @Test
  void emptyBatchHasOneEmptyPartition() {
    TextFileDataset ds = new TextFileDataset("files", LOCAL, List.of(), List.of());

    assertEquals(1, ds.numPartitions());
    assertEquals(List.of(), ds.collectPartition(0));
    assertEquals(0, ds.size());
  }

  @Test
  void readsItsFilesWhenComputedNotWhenCreated() throws IOException {
    Path file = dir.resolve("written-after-planning.txt");
    TextFileDataset ds =
        new TextFileDataset(
            "lazy", LOCAL, List.of(file.toString()), List.of(new FileSplit(file.toString(), 0, 2)));
    Files.writeString(file, "a\n");

    assertEquals(List.of("a"), runner.collect(ds));
  }

  @Test
  void computesAPartitionFromItsOwnSplitAloneAndCountsIt() throws IOException {
    Path first = file("1\n2\n");
    Path second = file("3\n");
    TextFileDataset ds = twoFiles(first, second, lines -> {});
    Files.delete(first);

    assertEquals(List.of("3"), ds.collectPartition(1));
    assertEquals(Map.of(1, 1L), ds.countedPartitions());
  }

  @Test
  void aPartitionIsReadOnceAndTheSizeReadsOnlyWhatNoTaskRead() throws IOException {
    Path first = file("1\n2\n");
    Path second = file("3\n");
    List<Long> told = new ArrayList<>();
    TextFileDataset ds = twoFiles(first, second, told::add);

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
    TextFileDataset ds = twoFiles(first, second, told::add);
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
    TextFileDataset ds =
        new TextFileDataset(
            "files",
            LOCAL,
            List.of(file.toString()),
            List.of(new FileSplit(file.toString(), 0, 5)));
    Files.delete(file);

    UncheckedIOException e = assertThrows(UncheckedIOException.class, ds::size);

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("deleted before the batch read it"), e.getMessage());
    assertEquals(Map.of(), ds.countedPartitions());
  }

  /**
   * {@code first} ("1\n2\n") and {@code second} ("3\n"), a split each, telling {@code onCounted}.
   */
  private static TextFileDataset twoFiles(Path first, Path second, LongConsumer onCounted) {
    return new TextFileDataset(
        "files",
        LOCAL,
        List.of(first.toString(), second.toString()),
        List.of(new FileSplit(first.toString(), 0, 4), new FileSplit(second.toString(), 0, 2)),
        onCounted);
  }

  private List<String> read(Path file, List<FileSplit> splits) {
    return runner.collect(new TextFileDataset("files", LOCAL, List.of(file.toString()), splits));
  }

  private Path file(String text) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "input", ".txt"), text);
  }
}
