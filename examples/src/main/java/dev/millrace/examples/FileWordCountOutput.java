package dev.millrace.examples;

import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.fs.FileAccess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@link FileWordCount} saved in its output directory, a local path or a Hadoop file
 * system URI, to check it against what was written: only complete batch directories ({@code
 * _SUCCESS}) count, so a batch a killed driver left half-written is not read twice once its re-run
 * replaces it.
 */
public final class FileWordCountOutput {
  private static final Pattern COUNT_LINE = Pattern.compile("\\((.+),(\\d+)\\)");

  private FileWordCountOutput() {}

  /** Every word's count summed over all saved per-batch counts. */
  public static Map<String, Integer> savedCounts(Path output) {
    return savedCounts(output.toString());
  }

  /** Every word's count summed over all saved per-batch counts in {@code output}, any location. */
  public static Map<String, Integer> savedCounts(String output) {
    FileAccess files = access(output);
    Map<String, Integer> sum = new TreeMap<>();
    for (String dir : outputs(files, output, FileWordCount.COUNTS)) {
      readCounts(files, dir).forEach((w, n) -> sum.merge(w, n, Integer::sum));
    }
    return sum;
  }

  /** The running totals of the newest saved batch; empty before the first. */
  public static Map<String, Integer> newestTotals(Path output) {
    return newestTotals(output.toString());
  }

  /** The running totals of the newest saved batch in {@code output}, any location. */
  public static Map<String, Integer> newestTotals(String output) {
    FileAccess files = access(output);
    List<String> dirs = outputs(files, output, FileWordCount.TOTALS);
    return dirs.isEmpty() ? Map.of() : readCounts(files, dirs.get(dirs.size() - 1));
  }

  private static FileAccess access(String output) {
    return FileAccess.forLocation(
        output, StreamingOptions.hadoopConfiguration(), "the word count's output");
  }

  /** Complete output directories {@code <name>-T.txt}, oldest batch first. */
  private static List<String> outputs(FileAccess files, String output, String name) {
    Pattern dirName = Pattern.compile(Pattern.quote(name) + "-(\\d+)\\." + FileWordCount.SUFFIX);
    List<String> dirs = new ArrayList<>();
    try {
      for (FileAccess.Entry entry : files.list(output)) {
        Matcher m = dirName.matcher(entry.name());
        if (m.matches() && files.exists(files.resolve(entry.location(), "_SUCCESS"))) {
          dirs.add(entry.location());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dirs.sort(Comparator.comparingLong(dir -> batchTime(dirName, files.name(dir))));
    return dirs;
  }

  private static long batchTime(Pattern dirName, String name) {
    Matcher m = dirName.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static Map<String, Integer> readCounts(FileAccess files, String dir) {
    Map<String, Integer> counts = new TreeMap<>();
    try {
      for (FileAccess.Entry part : files.list(dir)) {
        if (!part.name().startsWith("part-")) {
          continue;
        }
        try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(files.open(part.location(), 0), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            Matcher m = COUNT_LINE.matcher(line);
            if (m.matches()) {
              counts.merge(m.group(1), Integer.parseInt(m.group(2)), Integer::sum);
            }
          }
        }
      }
    } catch (IOException e) {
      // Replaced by a re-run batch while being read: the next poll reads the new one.
      return Map.of();
    }
    return counts;
  }
}
