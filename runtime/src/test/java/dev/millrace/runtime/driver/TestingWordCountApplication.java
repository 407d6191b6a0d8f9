package dev.millrace.runtime.driver;

import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The word count the distributed tests run: for the text files appearing in the input directory
 * (argument 1), each batch's count of every word, saved as lines {@code word count} to {@code
 * <output>/counts-T.txt} (argument 2). A line {@value #PAUSE} counts nothing and holds up the task
 * reading it for {@link #PAUSE_MILLIS}, so that a test can kill an executor while it runs a task;
 * in a process whose environment sets {@value #PAUSED_ENV} to a directory, the pause first creates
 * the file {@code paused-<pid>} there, so the test knows when. A line {@value #HANG} counts nothing
 * and, in a process whose environment sets {@value #HANG_ENV} to a number of milliseconds, holds up
 * its task that long: an executor that heartbeats but does not answer, while the driver, which runs
 * without it, can run the same task at once.
 */
public final class TestingWordCountApplication implements StreamingApplication {
  static final String COUNTS = "counts";
  static final String PAUSE = "pause";
  static final long PAUSE_MILLIS = 2_000;
  static final String PAUSED_ENV = "MILLRACE_TESTING_PAUSED";
  static final String HANG = "hang";
  static final String HANG_ENV = "MILLRACE_TESTING_HANG";
  private static final Pattern SAVED = Pattern.compile(COUNTS + "-(\\d+)\\.txt");

  @Override
  public void define(StreamingContext ssc, String[] args) {
    if (args.length != 2) {
      throw new ConfigurationException("arguments: input-dir output-dir; got " + List.of(args));
    }
    ssc.textFileStream(args[0])
        .filter(TestingWordCountApplication::countsWords)
        .flatMap(line -> Arrays.asList(line.split(" ")))
        .filter(word -> !word.isEmpty())
        .mapToPair(word -> Pair.of(word, 1L))
        .reduceByKey(Long::sum)
        .map(count -> count.key() + " " + count.value())
        .saveAsTextFiles(args[1] + "/" + COUNTS, "txt");
  }

  /**
   * Whether {@code line} holds words to count: false for the {@value #PAUSE} and {@value #HANG}
   * lines, after holding up the task as they say.
   */
  static boolean countsWords(String line) {
    if (line.equals(PAUSE)) {
      String paused = System.getenv(PAUSED_ENV);
      if (paused != null) {
        markPaused(Path.of(paused));
      }
      sleep(PAUSE_MILLIS);
      return false;
    }
    if (line.equals(HANG)) {
      String millis = System.getenv(HANG_ENV);
      if (millis != null) {
        sleep(Long.parseLong(millis));
      }
      return false;
    }
    return true;
  }

  /**
   * The counts of every completed batch saved to {@code output}, summed by word: a batch saved
   * twice counts twice. A batch directory a re-run replaces while it is read reads as nothing yet.
   */
  static TreeMap<String, Long> savedCounts(Path output) throws IOException {
    TreeMap<String, Long> counts = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(output)) {
      for (Path dir : dirs.toList()) {
        Matcher m = SAVED.matcher(dir.getFileName().toString());
        if (!m.matches() || !Files.exists(dir.resolve("_SUCCESS"))) {
          continue;
        }
        try (Stream<Path> parts = Files.list(dir)) {
          for (Path part :
              parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
            for (String line : Files.readAllLines(part)) {
              String[] wordAndCount = line.split(" ");
              counts.merge(wordAndCount[0], Long.parseLong(wordAndCount[1]), Long::sum);
            }
          }
        }
      }
    } catch (UncheckedIOException | NoSuchFileException e) {
      return new TreeMap<>();
    }
    return counts;
  }

  /** The file {@code paused-<pid>} in {@code directory}: this process is in a pause. */
  static Path pausedMarker(Path directory, long pid) {
    return directory.resolve("paused-" + pid);
  }

  private static void markPaused(Path directory) {
    try {
      Files.createDirectories(directory);
      Files.writeString(pausedMarker(directory, ProcessHandle.current().pid()), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
