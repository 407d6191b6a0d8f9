package dev.millrace.runtime.logs;

import dev.millrace.crds.SpecMemory;
import dev.millrace.streaming.ConfigurationException;
import java.util.Map;

/**
 * How large a driver's or executor's logs grow on a backend that keeps them in files ({@code
 * millrace run}, YARN): each file up to {@code fileBytes}, then rolled by Log4j's RollingFile
 * ({@link ProcessLogging}) into {@code <name>.00001}, {@code .00002}, … (a number is never reused),
 * the newest {@code files} rolled files kept. A process takes them from its environment, which the
 * spec sets per role ({@code spec.driver.env}, {@code spec.executor.env}): {@value
 * #FILE_SIZE_VARIABLE} (a memory quantity, default {@value #DEFAULT_FILE_SIZE}) and {@value
 * #FILES_VARIABLE} (default {@value #DEFAULT_FILES}).
 *
 * @param fileBytes the size at which a file is rolled
 * @param files how many rolled files are kept
 */
public record LogLimits(long fileBytes, int files) {
  /**
   * A system property naming a file a process logs into, rolled at the limits of its environment:
   * how {@code millrace run} starts its drivers and executors.
   */
  public static final String LOG_FILE_PROPERTY = "millrace.log.file";

  /**
   * A regular expression matching the rolled files, for YARN's rolled-logs include pattern: a
   * NodeManager with rolling log aggregation uploads each once, as its name never changes.
   */
  public static final String ROLLED_PATTERN = ".*\\.log\\.[0-9]{5,}";

  /** The environment variable of the file size. */
  public static final String FILE_SIZE_VARIABLE = "MILLRACE_LOG_FILE_SIZE";

  /** The environment variable of the number of rolled files kept. */
  public static final String FILES_VARIABLE = "MILLRACE_LOG_FILES";

  /** The default of {@value #FILE_SIZE_VARIABLE}. */
  public static final String DEFAULT_FILE_SIZE = "64Mi";

  /** The default of {@value #FILES_VARIABLE}. */
  public static final int DEFAULT_FILES = 10;

  /**
   * The limits {@code environment} sets, defaults for what it does not.
   *
   * @throws ConfigurationException naming the variable whose value is not a positive size or count
   */
  public static LogLimits of(Map<String, String> environment) {
    String size = value(environment, FILE_SIZE_VARIABLE, DEFAULT_FILE_SIZE);
    String files = value(environment, FILES_VARIABLE, String.valueOf(DEFAULT_FILES));
    long bytes;
    try {
      bytes = SpecMemory.bytes(size);
    } catch (IllegalArgumentException e) {
      bytes = 0;
    }
    if (bytes < 1) {
      throw new ConfigurationException(
          FILE_SIZE_VARIABLE + "=" + size + " is not a log file size; write e.g. 64Mi or 500Ki");
    }
    int count;
    try {
      count = Integer.parseInt(files);
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (count < 1) {
      throw new ConfigurationException(
          FILES_VARIABLE + "=" + files + " is not a number of rolled log files; write e.g. 10");
    }
    return new LogLimits(bytes, count);
  }

  private static String value(Map<String, String> environment, String name, String otherwise) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? otherwise : value.trim();
  }
}
