package dev.millrace.runtime.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAccessTest {
  private final Configuration conf = new Configuration();
  @TempDir Path dir;

  @Test
  void aSchemeIsTwoOrMoreCharactersBeforeColonSlash() {
    assertNull(FileAccess.scheme("/data/in"));
    assertNull(FileAccess.scheme("relative/in"));
    assertNull(FileAccess.scheme("odd:name/in"), "no slash after the colon: a local name");
    assertNull(FileAccess.scheme("C:/data/in"), "a drive letter, not a scheme");
    assertEquals("hdfs", FileAccess.scheme("hdfs://nn:8020/in"));
    assertEquals("hdfs", FileAccess.scheme("HDFS://nn:8020/in"));
    assertEquals("hdfs", FileAccess.scheme("hdfs:/in"));
    assertEquals("s3a", FileAccess.scheme("s3a://bucket/in"));
    assertEquals("file", FileAccess.scheme("file:///data/in"));
  }

  @Test
  void localPathsAndFileUrisAreLocal() {
    assertSame(FileAccess.local(), FileAccess.forLocation("/data/in", conf, "input"));
    assertSame(FileAccess.local(), FileAccess.forLocation("in", conf, "input"));
    FileAccess file = FileAccess.forLocation("file:///data/in", conf, "input");
    assertSame(FileAccess.local(), file);
    assertEquals("/data/in", file.normalize("file:///data/in"));
    assertEquals("/data/in", file.normalize("file:/data/in"));
    assertEquals("/data/in", file.normalize("file://localhost/data/in"));
    assertEquals("in", file.normalize("in"), "a plain path is kept as given");
  }

  @Test
  void hdfsLocationsAreNamedByUriWithoutConnecting() {
    // Nothing listens there: creating the access must not connect.
    FileAccess hdfs = FileAccess.forLocation("hdfs://127.0.0.1:1/data/in", conf, "input");
    assertEquals("hdfs://127.0.0.1:1/data/in", hdfs.normalize("hdfs://127.0.0.1:1/data/in"));
    assertEquals(
        "hdfs://127.0.0.1:1/data/in/a.txt", hdfs.resolve("hdfs://127.0.0.1:1/data/in", "a.txt"));
    assertEquals("hdfs://127.0.0.1:1/data", hdfs.parent("hdfs://127.0.0.1:1/data/in"));
    assertEquals("in", hdfs.name("hdfs://127.0.0.1:1/data/in"));
    assertEquals("hdfs://127.0.0.1:1/out-5", hdfs.absolute("hdfs://127.0.0.1:1/out-5"));
    assertTrue(hdfs.advice("hdfs://127.0.0.1:1/data/in").contains("HADOOP_CONF_DIR"));
  }

  @Test
  void anUnknownSchemeIsRefusedNamingTheLocationAndWhatToDo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FileAccess.forLocation("nosuchfs://host/in", conf, "the input directory of x"));

    assertTrue(
        e.getMessage().startsWith("the input directory of x 'nosuchfs://host/in'"), e.getMessage());
    assertTrue(e.getMessage().contains("millrace.hadoop.fs.nosuchfs.impl"), e.getMessage());
  }

  @Test
  void anInvalidLocalPathIsRefusedNamingIt() {
    FileAccess local = FileAccess.forLocation("in\0put", conf, "input");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> local.normalize("in\0put"));
    assertTrue(e.getMessage().contains("is not a valid local path"), e.getMessage());
  }

  @Test
  void anEmptyLocationIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FileAccess.forLocation(" ", conf, "the prefix"));
    assertTrue(e.getMessage().startsWith("the prefix is empty"), e.getMessage());
  }

  @Test
  void localAccessReadsFromAnOffsetAndReportsMissingFiles() throws Exception {
    FileAccess local = FileAccess.local();
    assertTrue(local.renamesDirectoriesAtomically());
    String file = local.resolve(dir.toString(), "a.txt");
    Files.writeString(Path.of(file), "0123456789");

    try (InputStream in = local.open(file, 4)) {
      assertEquals("456789", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }
    assertThrows(NoSuchFileException.class, () -> local.open(file + ".gone", 0));
    assertThrows(NoSuchFileException.class, () -> local.list(file + ".gone"));
    FileAccess.Entry entry = local.list(dir.toString()).get(0);
    assertEquals(new FileAccess.Entry(file, "a.txt", true, entry.modifiedMillis(), 10), entry);
    assertInstanceOf(Long.class, entry.modifiedMillis());
  }

  @Test
  void aLocalFlushableFileShowsANewReaderEveryFlushedByteWhileStillOpen() throws Exception {
    FileAccess local = FileAccess.local();
    String file = local.resolve(dir.toString(), "log");

    writeFlushableCheckingANewReaderAfterEachFlush(local, file);

    assertThrows(FileAlreadyExistsException.class, () -> local.createFlushable(file));
    assertEquals(
        "first second", readAll(local, file), "a refused create leaves the file as it was");
  }

  /**
   * Writes "first second" to the new flushable {@code file} in two flushes, checking after each
   * that a reader opening the file now reads everything written so far.
   */
  static void writeFlushableCheckingANewReaderAfterEachFlush(FileAccess files, String file)
      throws IOException {
    try (OutputStream out = files.createFlushable(file)) {
      out.write("first".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertEquals("first", readAll(files, file));
      out.write(" second".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertEquals("first second", readAll(files, file));
    }
  }

  static String readAll(FileAccess files, String file) throws IOException {
    try (InputStream in = files.open(file, 0)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
