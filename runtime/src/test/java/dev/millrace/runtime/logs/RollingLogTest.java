package dev.millrace.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingLogTest {
  @TempDir Path dir;

  @Test
  void aFullFileIsRolledUnderTheNextNumberAndOnlyTheNewestRolledFilesAreKept() throws IOException {
    try (RollingLog log = new RollingLog(dir, "stderr.log", 100, 2)) {
      for (int i = 0; i < 10; i++) {
        log.write(line(i)); // 40 bytes: two lines a file
      }
    }
    // 10 lines, two a file: rolled 1..4, the active file holds lines 8 and 9; 1 and 2 deleted.
    assertEquals(List.of("stderr.log", "stderr.log.00003", "stderr.log.00004"), names());
    assertEquals(text(4) + text(5), read("stderr.log.00003"));
    assertEquals(text(6) + text(7), read("stderr.log.00004"));
    assertEquals(text(8) + text(9), read("stderr.log"));
    assertEquals(true, "stderr.log.00004".matches(RollingLog.ROLLED_PATTERN));
    assertEquals(false, "stderr.log".matches(RollingLog.ROLLED_PATTERN));
  }

  @Test
  void aRestartedProcessAppendsAndContinuesTheNumberingWithoutReusingOne() throws IOException {
    try (RollingLog log = new RollingLog(dir, "stdout.log", 100, 5)) {
      for (int i = 0; i < 3; i++) {
        log.write(line(i));
      }
    }
    try (RollingLog log = new RollingLog(dir, "stdout.log", 100, 5)) {
      for (int i = 3; i < 6; i++) {
        log.write(line(i));
      }
    }
    assertEquals(List.of("stdout.log", "stdout.log.00001", "stdout.log.00002"), names());
    assertEquals(text(0) + text(1), read("stdout.log.00001"));
    assertEquals(text(2) + text(3), read("stdout.log.00002"));
    assertEquals(text(4) + text(5), read("stdout.log"));
  }

  @Test
  void aWriteLargerThanAFileIsKeptWholeInAFileOfItsOwn() throws IOException {
    byte[] big = "x".repeat(250).getBytes(StandardCharsets.UTF_8);
    try (RollingLog log = new RollingLog(dir, "stderr.log", 100, 3)) {
      log.write(line(0));
      log.write(big);
      log.write(line(1));
    }
    assertEquals(text(0), read("stderr.log.00001"));
    assertEquals("x".repeat(250), read("stderr.log.00002"));
    assertEquals(text(1), read("stderr.log"));
  }

  @Test
  void aSizeOrCountBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RollingLog(dir, "a.log", 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RollingLog(dir, "a.log", 10, 0));
  }

  private static byte[] line(int i) {
    return text(i).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(int i) {
    return String.format("line %02d %s\n", i, ".".repeat(31)); // 40 bytes
  }

  private List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
    }
    return names;
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }
}
