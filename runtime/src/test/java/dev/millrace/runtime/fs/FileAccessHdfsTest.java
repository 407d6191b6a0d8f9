package dev.millrace.runtime.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.runtime.checkpoint.TestingHdfs;
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
    FileAccessTest.writeFlushableCheckingANewReaderAfterEachFlush(files, file);

    assertThrows(
        org.apache.hadoop.fs.FileAlreadyExistsException.class, () -> files.createFlushable(file));
    assertEquals(
        "first second",
        FileAccessTest.readAll(files, file),
        "a refused create leaves the file as it was");
  }
}
