package dev.millrace.runtime.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.runtime.checkpoint.TestingHdfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FileAccess} on {@code hdfs://}, against a real HDFS (one name node, one data node). */
@Tag("process")
class FileAccessHdfsTest {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();

  @Test
  void anHdfsFlushableFileShowsANewReaderEveryFlushedByteWhileStillOpen() throws Exception {
    String dir = HDFS.uri() + "/flushable";
    FileAccess files = FileAccess.forLocation(dir, HDFS.conf(), "test directory");
    files.createDirectories(dir);
    String file = files.resolve(dir, "log");

    // A few bytes stay in the client's packet buffer until hflush sends them down the pipeline:
    // a plain flush would leave a new reader with none of them.
    try (OutputStream out = files.createFlushable(file)) {
      out.write("first".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertEquals("first", readAll(files, file));
      out.write(" second".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertEquals("first second", readAll(files, file));
    }
    assertThrows(
        org.apache.hadoop.fs.FileAlreadyExistsException.class, () -> files.createFlushable(file));
    assertEquals(
        "first second", readAll(files, file), "a refused create leaves the file as it was");
  }

  private static String readAll(FileAccess files, String file) throws IOException {
    try (InputStream in = files.open(file, 0)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
