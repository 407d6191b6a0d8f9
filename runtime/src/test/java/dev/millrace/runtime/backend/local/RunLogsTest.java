package dev.millrace.runtime.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogsTest {
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());
  private static final Instant T0 = Instant.parse("2026-12-07T14:25:01Z");

  @TempDir Path logs;

  @Test
  void eachRunLogsIntoADirectoryNamedByItsStartAndEachProcessIntoAFileOfItsOwn()
      throws IOException {
    RunLogs run = RunLogs.start(logs, T0, 10);

    assertEquals(logs.resolve(NAME.format(T0)), run.directory());
    assertTrue(Files.isDirectory(run.directory()));
    assertEquals(run.directory().resolve("driver-2.log"), run.of("driver-2"));
    assertEquals(run.directory().resolve("exec-1.log"), run.of("exec-1"));
  }

  @Test
  void runsStartedInTheSameSecondGetDirectoriesOfTheirOwn() throws IOException {
    Path first = RunLogs.start(logs, T0, 10).directory();
    Path second = RunLogs.start(logs, T0, 10).directory();
    Path third = RunLogs.start(logs, T0, 10).directory();

    assertEquals(
        List.of(first, logs.resolve(NAME.format(T0) + "-2"), logs.resolve(NAME.format(T0) + "-3")),
        List.of(first, second, third));
  }

  @Test
  void onlyTheLogsOfTheNewestRunsAreKeptAndNothingElseInLogsIsTouched() throws IOException {
    Files.writeString(logs.resolve("driver-1.log"), "a log of an older layout");
    Files.createDirectories(logs.resolve("notes"));
    for (int i = 0; i < 12; i++) {
      RunLogs run = RunLogs.start(logs, T0.plusSeconds(i), 3);
      Files.writeString(run.of("driver-1"), "run " + i);
    }
    Path sameSecond = RunLogs.start(logs, T0.plusSeconds(11), 3).directory();

    assertEquals(
        List.of(
            NAME.format(T0.plusSeconds(10)),
            NAME.format(T0.plusSeconds(11)),
            sameSecond.getFileName().toString(),
            "driver-1.log",
            "notes"),
        names());
    assertEquals(
        "run 11",
        Files.readString(logs.resolve(NAME.format(T0.plusSeconds(11)) + "/driver-1.log")));
  }

  private List<String> names() throws IOException {
    try (Stream<Path> all = Files.list(logs)) {
      return all.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
