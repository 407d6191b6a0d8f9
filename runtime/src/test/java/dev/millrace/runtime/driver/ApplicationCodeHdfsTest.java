package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.TestingHdfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Application jars on a real HDFS, fetched through the Hadoop file system. */
@Tag("process")
class ApplicationCodeHdfsTest {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();

  @TempDir Path dir;

  @Test
  void aJarOnHdfsIsCopiedForTheAttemptAndTheCopyIsDeletedAfterIt() throws Exception {
    Path jar = TestingJar.withResource(dir.resolve("app.jar"), "app.txt", "from hdfs");
    String uri = HDFS.uri() + "/apps/clicks/app.jar";
    try (FileSystem fs = FileSystem.newInstance(new java.net.URI(uri), HDFS.conf())) {
      fs.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(jar.toUri()), new org.apache.hadoop.fs.Path(uri));
    }
    Files.delete(jar);

    Path copy;
    try (ApplicationCode code = ApplicationCode.fetch(List.of(uri), HDFS.conf(), "clicks-2")) {
      assertEquals("from hdfs", TestingJar.read(code.classLoader(), "app.txt"));
      copy = TestingJar.jarOf(code.classLoader(), "app.txt");
      assertTrue(copy.getParent().getFileName().toString().startsWith("millrace-clicks-2-jars-"));
      assertTrue(Files.exists(copy));
    }
    assertFalse(Files.exists(copy.getParent()), "the attempt's copies are deleted");
  }

  @Test
  void aJarThatIsNotOnHdfsIsNamedInTheRefusal() {
    String uri = HDFS.uri() + "/apps/nothing-here.jar";
    DriverConfigurationException e =
        assertThrows(
            DriverConfigurationException.class,
            () -> ApplicationCode.fetch(List.of(uri), HDFS.conf(), "clicks-1"));
    assertTrue(
        e.getMessage().startsWith("application jar " + uri + " cannot be fetched"), e.getMessage());
  }
}
