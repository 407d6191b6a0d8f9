package dev.millrace.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.ConfigurationException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogLimitsTest {
  @TempDir Path dir;

  @Test
  void theEnvironmentSetsTheLimitsAndWhatItLeavesOutHasItsDefault() {
    assertEquals(new LogLimits(64L << 20, 10), LogLimits.of(Map.of()));
    assertEquals(
        new LogLimits(500L << 10, 3),
        LogLimits.of(Map.of("MILLRACE_LOG_FILE_SIZE", "500Ki", "MILLRACE_LOG_FILES", " 3 ")));
    assertEquals(new LogLimits(64L << 20, 2), LogLimits.of(Map.of("MILLRACE_LOG_FILES", "2")));
  }

  @Test
  void aValueThatIsNoSizeOrCountIsRefusedNamingTheVariable() {
    for (String size : new String[] {"lots", "0", "-1Mi"}) {
      String message =
          assertThrows(
                  ConfigurationException.class,
                  () -> LogLimits.of(Map.of("MILLRACE_LOG_FILE_SIZE", size)))
              .getMessage();
      assertTrue(message.startsWith("MILLRACE_LOG_FILE_SIZE=" + size + " is not"), message);
    }
    String message =
        assertThrows(
                ConfigurationException.class, () -> LogLimits.of(Map.of("MILLRACE_LOG_FILES", "0")))
            .getMessage();
    assertTrue(message.startsWith("MILLRACE_LOG_FILES=0 is not"), message);
  }

  @Test
  void aStreamItOpensRollsWholeLinesAtTheFileSize() throws Exception {
    try (PrintStream log = new LogLimits(100, 2).open(dir, "driver-1.log")) {
      for (int i = 0; i < 10; i++) {
        log.println("line " + i + " of a log that rolls at 100 bytes");
      }
    }
    // 42-byte lines, two a file: ten lines made four rolled files, of which two are kept.
    try (var files = Files.list(dir)) {
      assertEquals(
          java.util.List.of("driver-1.log", "driver-1.log.00003", "driver-1.log.00004"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(
        Files.readString(dir.resolve("driver-1.log"))
            .endsWith("line 9 of a log that rolls at 100 bytes\n"));
    for (String line : Files.readAllLines(dir.resolve("driver-1.log"))) {
      assertTrue(line.startsWith("line "), "a whole line: " + line);
    }
  }
}
