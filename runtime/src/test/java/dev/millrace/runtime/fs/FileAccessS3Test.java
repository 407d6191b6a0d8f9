package dev.millrace.runtime.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.TestingS3;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FileAccess} on {@code s3a://}, against a real S3-compatible server. */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FileAccessS3Test {
  @RegisterExtension static final TestingS3 S3 = new TestingS3();

  @Test
  void s3aAccessRefusesToRenameOntoAnExistingNameAndSaysItsRenamesAreNotAtomic() throws Exception {
    String dir = S3.uri() + "/access";
    FileAccess files = FileAccess.forLocation(dir, S3.conf(), "test directory");
    assertFalse(files.renamesDirectoriesAtomically());
    assertThrows(NoSuchFileException.class, () -> files.list(dir));
    assertThrows(NoSuchFileException.class, () -> files.open(dir + "/missing", 0));

    files.createDirectories(dir);
    try (OutputStream o = files.create(files.resolve(dir, "a"))) {
      o.write("0123456789".getBytes(StandardCharsets.US_ASCII));
    }
    try (OutputStream o = files.create(files.resolve(dir, "b"))) {
      o.write('b');
    }
    assertThrows(FileAlreadyExistsException.class, () -> files.rename(dir + "/a", dir + "/b"));
    files.createDirectory(dir + "/sub");
    assertThrows(FileAlreadyExistsException.class, () -> files.rename(dir + "/a", dir + "/sub"));
    assertThrows(FileAlreadyExistsException.class, () -> files.createDirectory(dir + "/sub"));
    files.createDirectory(dir + "/sub2");
    try (OutputStream o = files.create(files.resolve(dir + "/sub2", "c"))) {
      o.write('c');
    }
    assertThrows(FileAlreadyExistsException.class, () -> files.rename(dir + "/sub2", dir + "/sub"));

    files.rename(dir + "/sub2", dir + "/moved");
    assertEquals(List.of("c"), files.names(dir + "/moved"));
    assertFalse(files.exists(dir + "/sub2"));
    try (InputStream i = files.open(dir + "/a", 4)) {
      assertEquals("456789", new String(i.readAllBytes(), StandardCharsets.US_ASCII));
    }
    assertEquals(List.of("a", "b", "moved", "sub"), files.names(dir).stream().sorted().toList());
  }

  @Test
  void s3aAccessRefusesAFlushableFileNamingItsSchemeAndLeavesNoFileBehind() throws Exception {
    String dir = S3.uri() + "/flushable";
    FileAccess files = FileAccess.forLocation(dir, S3.conf(), "test directory");
    files.createDirectories(dir);
    String file = files.resolve(dir, "log");

    FlushUnsupportedException e =
        assertThrows(FlushUnsupportedException.class, () -> files.createFlushable(file));

    assertEquals("s3a", e.scheme());
    assertTrue(e.getMessage().contains(file), e.getMessage());
    assertFalse(files.exists(file), "the refused file was left behind");
  }
}
