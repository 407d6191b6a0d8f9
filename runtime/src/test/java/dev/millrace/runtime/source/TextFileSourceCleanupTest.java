package dev.millrace.runtime.source;

import static dev.millrace.runtime.source.TestingFilePlans.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.checkpoint.CapturedStderr;
import dev.millrace.streaming.CleanSource;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TextFileSource} removing the files a committed checkpoint covers ({@code cleanSource}), on
 * a local directory: only files it took, only up to the covered batch, never overwriting.
 */
class TextFileSourceCleanupTest {
  @TempDir Path work;
  private Path in;
  private InputSource<String> source;

  @AfterEach
  void stopSource() {
    if (source != null) {
      source.stop();
    }
  }

  /** A started source over {@code in}, where {@code old.txt} is before it starts. */
  private InputSource<String> started(CleanSource cleanSource) throws IOException {
    in = Files.createDirectories(work.resolve("in"));
    write("old.txt", "there at start\n", 100);
    source =
        new TextFileSource(in.toString(), null, 1, "files", Integer.MAX_VALUE, cleanSource).input();
    source.start(0);
    return source;
  }

  @Test
  void deleteRemovesTheFilesTakenUpToTheCoveredBatchAndNothingElse() throws Exception {
    started(CleanSource.delete());
    write("a.txt", "a\n", 900);
    source.take(1000, false);
    byte[] coveringOne = source.snapshot();
    write("b.txt", "b\n", 1900);
    source.take(2000, false);

    assertEquals(OptionalLong.empty(), source.inputRemovableUpTo());
    assertNull(source.status().removableUpToMs(), "the status says nothing may go yet");
    source.checkpointCommitted(1000, coveringOne);

    awaitGone(in.resolve("a.txt"));
    assertEquals(OptionalLong.of(1000), source.inputRemovableUpTo());
    assertEquals(1000L, source.status().removableUpToMs(), "the status says what may go");
    assertEquals(List.of("b.txt", "old.txt"), names(in));
    // Once a batch saw it gone, the name is forgotten: a new a.txt is new input.
    source.take(3000, false);
    write("a.txt", "a again\n", 3900);
    assertEquals(List.of(in.resolve("a.txt").toString()), files(source.take(4000, false)));
  }

  @Test
  void archiveMovesFilesUnderTheirOwnNamesAndNeverOverwritesOne() throws Exception {
    Path archive = work.resolve("archive");
    started(CleanSource.archiveTo(archive.toString()));
    write("a.txt", "a\n", 800);
    write("b.txt", "b\n", 900);
    source.take(1000, false);
    Files.createDirectories(archive);
    Files.writeString(archive.resolve("b.txt"), "an older b\n");

    String log;
    try (CapturedStderr stderr = new CapturedStderr()) {
      source.checkpointCommitted(1000, source.snapshot());
      awaitGone(in.resolve("a.txt"));
      source.stop();
      log = stderr.text();
    }

    assertEquals("a\n", Files.readString(archive.resolve("a.txt")));
    assertEquals("an older b\n", Files.readString(archive.resolve("b.txt")));
    assertEquals(List.of("b.txt", "old.txt"), names(in));
    assertTrue(log.contains("WARN") && log.contains("never overwrites"), log);
    assertTrue(log.contains(in.resolve("b.txt").toString()), log);
  }

  @Test
  void aFileReplacedUnderATakenNameIsLeftWithAWarning() throws Exception {
    started(CleanSource.delete());
    write("a.txt", "a\n", 900);
    source.take(1000, false);
    byte[] covering = source.snapshot();
    write("a.txt", "another a, not read yet\n", 1500);

    String log;
    try (CapturedStderr stderr = new CapturedStderr()) {
      source.checkpointCommitted(1000, covering);
      source.stop();
      log = stderr.text();
    }

    assertEquals("another a, not read yet\n", Files.readString(in.resolve("a.txt")));
    assertTrue(log.contains("another file under that name"), log);
  }

  @Test
  void namesOfAPositionWrittenBeforeFilesWereToldFromIgnoredOnesAreNeverRemoved() throws Exception {
    started(CleanSource.delete());
    write("a.txt", "a\n", 900);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(2);
      out.writeUTF("a.txt");
      out.writeUTF("old.txt");
    }
    InputSource<String> recovered =
        new TextFileSource(in.toString(), null, 1, "files", Integer.MAX_VALUE, CleanSource.delete())
            .input();
    recovered.recover(2000, bytes.toByteArray(), List.of());

    recovered.checkpointCommitted(2000, recovered.snapshot());
    recovered.stop();

    assertEquals(List.of("a.txt", "old.txt"), names(in));
    assertEquals(List.of(), files(recovered.take(2000, false)));
  }

  @Test
  void anArchiveDirectoryThatIsTheInputDirectoryOrOnAnotherFileSystemIsRefused()
      throws IOException {
    in = Files.createDirectories(work.resolve("in"));

    IllegalArgumentException same = refusedArchive(in.resolve(".").toString());
    IllegalArgumentException elsewhere = refusedArchive("hdfs://namenode:8020/archive");

    assertTrue(same.getMessage().contains("is the input directory itself"), same.getMessage());
    assertTrue(
        elsewhere.getMessage().contains("on another file system than its input directory"),
        elsewhere.getMessage());
  }

  private IllegalArgumentException refusedArchive(String archive) {
    return assertThrows(
        IllegalArgumentException.class,
        () ->
            new TextFileSource(in.toString(), null, 1, "files", 1, CleanSource.archiveTo(archive))
                .input());
  }

  private void write(String name, String text, long modifiedMillis) throws IOException {
    Path staging = work.resolve("staging-" + name);
    Files.writeString(staging, text, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(staging, FileTime.fromMillis(modifiedMillis));
    Files.move(staging, in.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void awaitGone(Path file) throws InterruptedException {
    await(() -> !Files.exists(file), file + " to be removed");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited 20 s for " + what);
      }
      Thread.sleep(5);
    }
  }
}
