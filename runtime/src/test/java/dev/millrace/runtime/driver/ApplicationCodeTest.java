package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationCodeTest {
  @TempDir Path dir;

  @Test
  void plainPathsAndLocalAndFileUrisAreReadWhereTheyAre() throws Exception {
    Path plain = TestingJar.withResource(dir.resolve("plain.jar"), "plain.txt", "plain");
    Path local = TestingJar.withResource(dir.resolve("local.jar"), "local.txt", "local");
    Path file = TestingJar.withResource(dir.resolve("file.jar"), "file.txt", "file");
    List<String> jars = List.of(plain.toString(), "local://" + local, file.toUri().toString());
    try (ApplicationCode code = ApplicationCode.fetch(jars, new Configuration(), "test-1")) {
      ClassLoader loader = code.classLoader();
      assertEquals("plain", TestingJar.read(loader, "plain.txt"));
      assertEquals("local", TestingJar.read(loader, "local.txt"));
      assertEquals("file", TestingJar.read(loader, "file.txt"));
      assertEquals(plain.toAbsolutePath(), TestingJar.jarOf(loader, "plain.txt"));
      assertEquals(local, TestingJar.jarOf(loader, "local.txt"));
      assertEquals(file, TestingJar.jarOf(loader, "file.txt"));
      assertSame(ClassLoader.getSystemClassLoader(), loader.getParent());
    }
  }

  @Test
  void withoutJarsTheApplicationComesFromTheDriversClassPath() throws Exception {
    try (ApplicationCode code = ApplicationCode.fetch(List.of(), new Configuration(), "test-1")) {
      assertEquals(
          TestingLinesApplication.class,
          code.instantiate(TestingLinesApplication.class.getName()).getClass());
      assertNull(TestingJar.read(code.classLoader(), "plain.txt"));
    }
  }
}
