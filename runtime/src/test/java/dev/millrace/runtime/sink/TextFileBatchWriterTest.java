package dev.millrace.runtime.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.dataset.CachedDataset;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import dev.millrace.runtime.task.TaskRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFileBatchWriterTest {
  @TempDir Path dir;
  private final TaskRunner runner = new TaskRunner(2, "test");

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void namesBatchDirectoryPrefixDashTimeDotSuffix() {
    assertEquals(
        "/out/counts-1000.txt", TextFileBatchWriter.outputPath("/out/counts", "txt", 1000));
  }

  @Test
  void namesBatchDirectoryWithoutDotWhenSuffixIsNullOrEmpty() {
    assertEquals("counts-5", TextFileBatchWriter.outputPath("counts", null, 5));
    assertEquals("counts-5", TextFileBatchWriter.outputPath("counts", "", 5));
  }

  @Test
  void writesOnePartFilePerPartitionAndEmptySuccessMarker() throws IOException {
    String prefix = dir.resolve("not/yet/there/counts").toString();

    new TextFileBatchWriter(prefix, "txt")
        .write(partitions(List.of("a"), List.of(), List.of("b")), 1000, runner);

    Path out = dir.resolve("not/yet/there/counts-1000.txt");
    assertEquals(
        Map.of("part-00000", "a\n", "part-00001", "", "part-00002", "b\n", "_SUCCESS", ""),
        contents(out));
  }

  @Test
  void writesBatchWithoutSuffixUnderPrefixDashTime() throws IOException {
    String prefix = dir.resolve("plain").toString();

    new TextFileBatchWriter(prefix, null).write(partitions(List.of("x")), 42, runner);

    assertEquals(Map.of("part-00000", "x\n", "_SUCCESS", ""), contents(dir.resolve("plain-42")));
  }

  @Test
  void writesRecordsAsUtf8ToStringLinesInPartitionOrder() throws IOException {
    record Count(String word, int n) {}
    Dataset<Object> data =
        partitions(
            List.of(new Count("caf\u00e9", 2), 7, "\u6f22\ud83d\ude42"), List.of(3.5, "last"));

    new TextFileBatchWriter(dir.resolve("records").toString(), "out").write(data, 1, runner);

    Map<String, String> files = contents(dir.resolve("records-1.out"));
    assertEquals("Count[word=caf\u00e9, n=2]\n7\n\u6f22\ud83d\ude42\n", files.get("part-00000"));
    assertEquals("3.5\nlast\n", files.get("part-00001"));
  }

  @Test
  void preparesStageBoundariesBeforeWriting() throws IOException {
    Dataset<String> cached = new CachedDataset<>(partitions(List.of("cached")));

    new TextFileBatchWriter(dir.resolve("prepared").toString(), null).write(cached, 1, runner);

    assertEquals("cached\n", contents(dir.resolve("prepared-1")).get("part-00000"));
  }

  @Test
  void rerunningBatchWithSameDataLeavesIdenticalOutputAndNoHiddenDirectories() throws IOException {
    TextFileBatchWriter writer = new TextFileBatchWriter(dir.resolve("rerun").toString(), "txt");
    Dataset<String> data = partitions(List.of("a", "b"), List.of("c"));
    writer.write(data, 2000, runner);
    Map<String, String> first = contents(dir.resolve("rerun-2000.txt"));

    writer.write(data, 2000, runner);

    assertEquals(first, contents(dir.resolve("rerun-2000.txt")));
    assertEquals(List.of("rerun-2000.txt"), names(dir));
  }

  @Test
  void rerunningBatchReplacesEarlierOutputEntirely() throws IOException {
    TextFileBatchWriter writer = new TextFileBatchWriter(dir.resolve("replace").toString(), null);
    writer.write(partitions(List.of("1"), List.of("2"), List.of("3")), 3000, runner);

    writer.write(partitions(List.of("only")), 3000, runner);

    assertEquals(
        Map.of("part-00000", "only\n", "_SUCCESS", ""), contents(dir.resolve("replace-3000")));
    assertEquals(List.of("replace-3000"), names(dir));
  }

  @Test
  void failureWhileWritingLeavesNoFinalOrTemporaryDirectory() throws IOException {
    Dataset<Object> data = partitions(List.of("fine"), List.of("fine", new Unprintable()));
    TextFileBatchWriter writer = new TextFileBatchWriter(dir.resolve("failing").toString(), "txt");

    RuntimeException e =
        assertThrows(RuntimeException.class, () -> writer.write(data, 4000, runner));

    assertTrue(e.toString().contains("cannot print this record"), e.toString());
    assertEquals(List.of(), names(dir));
  }

  @Test
  void failedRerunKeepsEarlierOutputIntact() throws IOException {
    TextFileBatchWriter writer = new TextFileBatchWriter(dir.resolve("kept").toString(), null);
    writer.write(partitions(List.of("good")), 5000, runner);
    Map<String, String> earlier = contents(dir.resolve("kept-5000"));

    assertThrows(
        RuntimeException.class,
        () -> writer.write(partitions(List.of(new Unprintable())), 5000, runner));

    assertEquals(earlier, contents(dir.resolve("kept-5000")));
    assertEquals(List.of("kept-5000"), names(dir));
  }

  @Test
  void deletesLeftoversOfAnEarlierAttemptThatCrashed() throws IOException {
    Path leftover = dir.resolve(".crashed-6000.tmp-0123/part-00000");
    Files.createDirectories(leftover.getParent());
    Files.writeString(leftover, "half");
    Path setAside = dir.resolve(".crashed-6000.old-4567");
    Files.createDirectories(setAside);

    new TextFileBatchWriter(dir.resolve("crashed").toString(), null)
        .write(partitions(List.of("whole")), 6000, runner);

    assertEquals(List.of("crashed-6000"), names(dir));
  }

  @Test
  void fileSystemFailureNamesThePathAndWhatToCheck() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "");
    TextFileBatchWriter writer =
        new TextFileBatchWriter(notADirectory.resolve("out").toString(), null);

    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class, () -> writer.write(partitions(List.of("x")), 7000, runner));

    assertTrue(
        e.getMessage().contains(notADirectory.resolve("out-7000").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("writable"), e.getMessage());
    assertTrue(e.getMessage().contains("free space"), e.getMessage());
    assertFalse(Files.isDirectory(notADirectory));
  }

  @Test
  void rejectsEmptyPrefix() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new TextFileBatchWriter("", "txt"));

    assertTrue(e.getMessage().contains("got ''"), e.getMessage());
  }

  /** A record whose string form fails, like a user type with a broken toString(). */
  private static final class Unprintable {
    @Override
    public String toString() {
      throw new IllegalStateException("cannot print this record");
    }
  }

  @SafeVarargs
  static <T> ListDataset<T> partitions(List<? extends T>... parts) {
    List<List<T>> copies = new ArrayList<>();
    for (List<? extends T> part : parts) {
      copies.add(List.copyOf(part));
    }
    return new ListDataset<>(copies);
  }

  private static Map<String, String> contents(Path directory) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path p : entries.toList()) {
        files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
