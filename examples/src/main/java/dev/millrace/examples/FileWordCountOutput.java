package dev.millrace.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what {@link FileWordCount} saved in its output directory, to check it against what was
 * written: only complete batch directories ({@code _SUCCESS}) count, so a batch a killed driver
 * left half-written is not read twice once its re-run replaces it.
 */
public final class FileWordCountOutput {
  private static final Pattern COUNT_LINE = Pattern.compile("\\((.+),(\\d+)\\)");

  private FileWordCountOutput() {}

  /** Every word's count summed over all saved per-batch counts. */
  public static Map<String, Integer> savedCounts(Path output) {
    Map<String, Integer> sum = new TreeMap<>();
    for (Path dir : outputs(output, FileWordCount.COUNTS)) {
      readCounts(dir).forEach((w, n) -> sum.merge(w, n, Integer::sum));
    }
    return sum;
  }

  /** The running totals of the newest saved batch; empty before the first. */
  public static Map<String, Integer> newestTotals(Path output) {
    List<Path> dirs = outputs(output, FileWordCount.TOTALS);
    return dirs.isEmpty() ? Map.of() : readCounts(dirs.get(dirs.size() - 1));
  }

  /** Complete output directories {@code <name>-T.txt}, oldest batch first. */
  private static List<Path> outputs(Path output, String name) {
    Pattern dirName = Pattern.compile(Pattern.quote(name) + "-(\\d+)\\." + FileWordCount.SUFFIX);
    try (Stream<Path> all = Files.list(output)) {
      return all.filter(p -> dirName.matcher(p.getFileName().toString()).matches())
          .filter(p -> Files.exists(p.resolve("_SUCCESS")))
          .sorted(Comparator.comparing(p -> batchTime(dirName, p)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long batchTime(Pattern dirName, Path dir) {
    Matcher m = dirName.matcher(dir.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static Map<String, Integer> readCounts(Path dir) {
    Map<String, Integer> counts = new TreeMap<>();
    try (Stream<Path> parts = Files.list(dir)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
          Matcher m = COUNT_LINE.matcher(line);
          if (m.matches()) {
            counts.merge(m.group(1), Integer.parseInt(m.group(2)), Integer::sum);
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
