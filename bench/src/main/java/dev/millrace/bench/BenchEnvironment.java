package dev.millrace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every suite writes beside its figures about the machine it ran on, and the system properties
 * {@code bench/run} sets for it: one place for both suites (the queue-stream {@link Suite} and the
 * Kafka one).
 */
public final class BenchEnvironment {
  private BenchEnvironment() {}

  /** The 1-minute load average now, as {@code /proc/loadavg} gives it. */
  public static String load1() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  /** Cores, Java version and the whole of {@code /proc/loadavg}, for a report's header. */
  public static String machine() throws IOException {
    return Runtime.getRuntime().availableProcessors()
        + " cores, java "
        + System.getProperty("java.version")
        + ", loadavg "
        + Files.readString(Path.of("/proc/loadavg")).trim();
  }

  /**
   * The value of system property {@code property}.
   *
   * @throws IllegalArgumentException if it is not set, naming the command that sets it
   */
  public static String required(String property, String command) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalArgumentException(
          "system property " + property + " is not set; run the benchmark with " + command);
    }
    return value;
  }
}
