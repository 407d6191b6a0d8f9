package dev.millrace.runtime.backend.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The logs of one {@code millrace run}: a directory {@code logs/<start>} of the run directory,
 * named by when the run started ({@code 20261207-142501}, local time; {@code -2}, {@code -3}, … if
 * a run started in the same second), with a log per driver attempt ({@code driver-<attempt>.log})
 * and per executor ({@code exec-<n>.log}), each rolled by its process at its {@link
 * dev.millrace.runtime.logs.LogLimits}. Only the logs of the newest runs are kept: starting a run
 * deletes the oldest beyond the bound.
 */
final class RunLogs {
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());
  private static final Pattern RUN = Pattern.compile("\\d{8}-\\d{6}(-\\d+)?");

  private final Path directory;

  private RunLogs(Path directory) {
    this.directory = directory;
  }

  /**
   * Creates the log directory of a run started at {@code start} under {@code logs}, and deletes the
   * logs of all but the newest {@code keptRuns} runs, this one included.
   *
   * @throws IOException if the directory cannot be created
   */
  static RunLogs start(Path logs, Instant start, int keptRuns) throws IOException {
    if (keptRuns < 1) {
      throw new IllegalArgumentException("the logs of at least this run are kept, got " + keptRuns);
    }
    Files.createDirectories(logs);
    String name = NAME.format(start);
    Path directory = logs.resolve(name);
    for (int n = 2; !tryCreate(directory); n++) {
      directory = logs.resolve(name + "-" + n);
    }
    List<Path> runs = runs(logs);
    for (Path old : runs.subList(0, Math.max(0, runs.size() - keptRuns))) {
      deleteRecursively(old);
    }
    return new RunLogs(directory);
  }

  /** The directory of this run's logs. */
  Path directory() {
    return directory;
  }

  /** The log of the process named {@code name}: {@code driver-2}, {@code exec-1}. */
  Path of(String name) {
    return directory.resolve(name + ".log");
  }

  private static boolean tryCreate(Path directory) throws IOException {
    try {
      Files.createDirectory(directory);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    }
  }

  /** The run directories under {@code logs}, oldest first. */
  private static List<Path> runs(Path logs) throws IOException {
    try (Stream<Path> all = Files.list(logs)) {
      return all.filter(Files::isDirectory)
          .filter(p -> RUN.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparing(RunLogs::startName).thenComparingInt(RunLogs::sameSecond))
          .toList();
    }
  }

  private static String startName(Path run) {
    return run.getFileName().toString().substring(0, 15);
  }

  /** 1 for the first run of its second, n for the one named {@code -n}. */
  private static int sameSecond(Path run) {
    String name = run.getFileName().toString();
    return name.length() == 15 ? 1 : Integer.parseInt(name.substring(16));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
