package dev.millrace.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical-limit reference: a single-threaded word count with {@code String.split} and {@link
 * HashMap#merge} over the same corpus, in a JVM of its own. Prints {@code metric,value} lines.
 */
public final class Baseline {
  private static final int WARMUP_PASSES = 5;
  private static final int MEASURED_PASSES = 10;

  private Baseline() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    List<String> lines = Corpus.standard().lines();
    long checksum = 0;
    for (int i = 0; i < WARMUP_PASSES; i++) {
      checksum += count(lines).size();
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < MEASURED_PASSES; i++) {
      checksum += count(lines).size();
    }
    long nanos = System.nanoTime() - start;
    long cpuNanos = os.getProcessCpuTime() - cpu;
    double words = (double) MEASURED_PASSES * lines.size() * Corpus.WORDS_PER_LINE;
    out.println("words_per_s," + (long) (words / (nanos / 1e9)));
    out.println("cpu_ms_per_million_words," + (cpuNanos / 1e6) / (words / 1e6));
    out.println("checksum," + checksum);
  }

  private static Map<String, Long> count(List<String> lines) {
    Map<String, Long> counts = new HashMap<>();
    for (String line : lines) {
      for (String word : line.split(" ")) {
        counts.merge(word, 1L, Long::sum);
      }
    }
    return counts;
  }
}
