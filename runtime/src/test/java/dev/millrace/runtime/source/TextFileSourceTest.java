package dev.millrace.runtime.source;

import static dev.millrace.runtime.source.TestingFilePlans.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.dataset.CountedInput;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.task.TaskRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextFileSourceTest {
  @TempDir Path dir;
  private final TaskRunner runner = new TaskRunner(2, "test");

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void takesEachNewFileExactlyOnce() throws IOException {
    InputSource<String> source = started(dir, 2);

    write("a.txt", "a1\na2\n", 1_000);
    assertEquals(List.of("a1", "a2"), lines(source.take(2_000, false)));

    write("b.txt", "b1\n", 2_500);
    assertEquals(List.of("b1"), lines(source.take(3_000, false)));
    assertEquals(List.of(), lines(source.take(4_000, false)));
  }

  @Test
  void ignoresFilesPresentAtStart() throws IOException {
    write("old.txt", "old\n", 1_000);
    InputSource<String> source = started(dir, 2);

    write("new.txt", "new\n", 1_000);

    assertEquals(List.of("new"), lines(source.take(2_000, false)));
  }

  @Test
  void waitsForFirstBatchAtOrAfterFileModificationTime() throws IOException {
    InputSource<String> source = started(dir, 1);
    write("later.txt", "later\n", 5_000);

    assertEquals(List.of(), lines(source.take(4_000, false)));
    assertEquals(List.of("later"), lines(source.take(5_000, false)));
    assertEquals(List.of(), lines(source.take(6_000, false)));
  }

  @Test
  void ignoresHiddenFilesAndSubdirectories() throws IOException {
    InputSource<String> source = started(dir, 1);
    write(".inflight.tmp", "hidden\n", 1_000);
    write("_COPYING_", "hidden\n", 1_000);
    Files.createDirectory(dir.resolve("sub"));
    write("sub/inner.txt", "nested\n", 1_000);
    write("visible.txt", "visible\n", 1_000);

    assertEquals(List.of("visible"), lines(source.take(2_000, false)));
  }

  @Test
  void takesFileRenamedFromHiddenNameIntoPlace() throws IOException {
    InputSource<String> source = started(dir, 1);
    write(".part.tmp", "complete\n", 1_000);
    assertEquals(List.of(), lines(source.take(2_000, false)));

    Files.move(dir.resolve(".part.tmp"), dir.resolve("part.txt"));

    assertEquals(List.of("complete"), lines(source.take(3_000, false)));
  }

  @Test
  void takesNameAgainAfterFileWasDeletedAndRecreated() throws IOException {
    InputSource<String> source = started(dir, 1);
    write("reused.txt", "first\n", 1_000);
    assertEquals(List.of("first"), lines(source.take(2_000, false)));

    Files.delete(dir.resolve("reused.txt"));
    assertEquals(List.of(), lines(source.take(3_000, false)));
    write("reused.txt", "second\n", 3_500);

    assertEquals(List.of("second"), lines(source.take(4_000, false)));
  }

  @Test
  void takesNameAgainWhenFilePresentAtStartWasDeletedAndRecreated() throws IOException {
    write("seed.txt", "seed\n", 1_000);
    InputSource<String> source = started(dir, 1);

    Files.delete(dir.resolve("seed.txt"));
    assertEquals(List.of(), lines(source.take(2_000, false)));
    write("seed.txt", "fresh\n", 2_500);

    assertEquals(List.of("fresh"), lines(source.take(3_000, false)));
  }

  @Test
  void ordersFilesOfBatchByModificationTimeThenName() throws IOException {
    InputSource<String> source = started(dir, 4);
    write("c.txt", "c\n", 1_000);
    write("b.txt", "b\n", 2_000);
    write("a.txt", "a\n", 2_000);

    Dataset<String> batch = source.take(3_000, false);

    assertEquals(
        List.of(dir.resolve("c.txt"), dir.resolve("a.txt"), dir.resolve("b.txt")),
        files(batch).stream().map(Path::of).toList());
    assertEquals(List.of("c", "a", "b"), lines(batch));
  }

  @Test
  void takesNoNewFilesInLastBatch() throws IOException {
    InputSource<String> source = started(dir, 1);
    write("late.txt", "late\n", 1_000);

    Dataset<String> last = source.take(2_000, true);

    assertEquals(List.of(), files(last));
    assertEquals(List.of(), lines(last));
  }

  @Test
  void treatsMissingDirectoryAsEmptyWithoutCreatingIt() throws IOException {
    Path missing = dir.resolve("not-yet");
    InputSource<String> source = started(missing, 1);

    assertEquals(List.of(), lines(source.take(1_000, false)));
    assertEquals(List.of(), lines(source.take(2_000, false)));
    assertFalse(Files.exists(missing), "the source must not create its input directory");

    Files.createDirectory(missing);
    write("not-yet/first.txt", "first\n", 2_500);

    assertEquals(List.of("first"), lines(source.take(3_000, false)));
  }

  @Test
  void countsLinesOfMaterializedBatch() throws IOException {
    InputSource<String> source = started(dir, 2);
    write("one.txt", "1\n2\n3", 1_000);
    write("two.txt", "4\n", 1_000);

    Dataset<String> batch = source.take(2_000, false);
    runner.prepare(List.of(batch));

    assertEquals(4, ((CountedInput) batch).size());
  }

  @ParameterizedTest(name = "trailing newline {0}, CRLF {1}")
  @CsvSource({"true, false", "false, false", "true, true", "false, true"})
  void splitsMultiMebibyteFileIntoRangesYieldingExactlyItsLinesInOrder(
      boolean trailingNewline, boolean crlf) throws IOException {
    InputSource<String> source = started(dir, 8);
    String text = randomText(new Random(42), 3 << 20, trailingNewline, crlf);
    Path file = write("big.txt", text, 1_000);

    Dataset<String> batch = source.take(2_000, false);

    assertTrue(
        batch.numPartitions() >= 4,
        "a 3 MiB file in an 8-partition batch should be read in ranges, got "
            + batch.numPartitions()
            + " partitions");
    assertEquals(Files.readAllLines(file, StandardCharsets.UTF_8), runner.collect(batch));
  }

  @Test
  void refusesToTakeBeforeStart() {
    InputSource<String> source = new TextFileSource(dir, 1, "unstarted").input();

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> source.take(1_000, false));

    assertTrue(e.getMessage().contains("before start()"), e.getMessage());
  }

  @Test
  void rejectsFewerThanOnePartitionNamingTheCount() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new TextFileSource(dir, 0, "files").input());

    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }

  /** Lines of length 0 to 200 mixing ASCII, 2-, 3- and 4-byte characters; no lone '\r'. */
  static String randomText(
      Random random, int approximateBytes, boolean trailingNewline, boolean crlf) {
    String[] alphabet = {
      "a", "Z", "7", " ", "\u00e9", "\u00df", "\u6f22", "\u20ac", "\ud83d\ude42"
    };
    StringBuilder text = new StringBuilder();
    while (text.length() < approximateBytes / 2) {
      int length = random.nextInt(201);
      for (int i = 0; i < length; i++) {
        text.append(alphabet[random.nextInt(alphabet.length)]);
      }
      text.append(crlf ? "\r\n" : "\n");
    }
    if (!trailingNewline) {
      text.append("unterminated \u6f22");
    }
    return text.toString();
  }

  @Test
  void aBatchOfManyFilesDescribesTheFirstTwentySplitsByPathAndByteRangeAndCountsTheRest()
      throws IOException {
    InputSource<String> source = started(dir, 1);
    for (int i = 0; i < 25; i++) {
      write(String.format("f%02d.txt", i), "line " + i + "\n", 1_000);
    }
    Dataset<String> batch = source.take(2_000, false);

    InputParts parts = source.parts("textFileStream#0", batch, InputParts.SHOWN).orElseThrow();
    assertEquals("textFileStream#0", parts.input());
    assertEquals(25, parts.total());
    assertEquals(20, parts.shown().size());
    assertEquals(5, parts.more());
    assertEquals(dir.resolve("f00.txt") + " [0, 7)", parts.shown().get(0));
  }

  @Test
  void aSplitOfAFileWithAVeryLongPathIsDescribedInAtMost200Characters() throws IOException {
    InputSource<String> source = started(dir, 1);
    write("x".repeat(230) + ".txt", "line\n", 1_000);

    String shown =
        source
            .parts("textFileStream#0", source.take(2_000, false), InputParts.SHOWN)
            .orElseThrow()
            .shown()
            .get(0);

    assertEquals(InputParts.MAX_CHARS, shown.length());
    assertTrue(shown.startsWith(dir.resolve("xxx").toString()) && shown.endsWith("x\u2026"), shown);
  }

  private InputSource<String> started(Path directory, int partitions) {
    InputSource<String> source = new TextFileSource(directory, partitions, "files").input();
    source.start(0);
    return source;
  }

  private Path write(String name, String content, long modifiedMillis) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
    return file;
  }

  private List<String> lines(Dataset<String> batch) {
    return new ArrayList<>(runner.collect(batch));
  }
}
