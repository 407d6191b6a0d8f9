package dev.millrace.runtime.logs;

import dev.millrace.streaming.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a process logs beyond Millrace's default configuration, as its environment says (set per role
 * in {@code spec.driver.env} and {@code spec.executor.env}, whichever backend starts it): the line
 * format ({@value #FORMAT_VARIABLE}: {@code text} or {@code json}) and the level of each logger
 * named in {@value #LEVELS_VARIABLE} ({@code dev.millrace.runtime.scheduler=debug,org.apache.kafka=
 * warn}; {@code root} names the root logger), which win over the configuration file's.
 *
 * @param format how lines are written
 * @param levels each logger's level ({@code ""} for the root logger), in the order written
 */
public record LogSettings(LogFormat format, Map<String, String> levels) {
  /** The environment variable of the line format. */
  public static final String FORMAT_VARIABLE = "MILLRACE_LOG_FORMAT";

  /** The environment variable of the per-logger levels. */
  public static final String LEVELS_VARIABLE = "MILLRACE_LOG_LEVELS";

  /** The levels a logger can be set to. */
  static final Set<String> LEVEL_NAMES =
      Set.of("off", "fatal", "error", "warn", "info", "debug", "trace", "all");

  private static final Pattern LOGGER = Pattern.compile("[A-Za-z_$][\\w$.-]*");

  public LogSettings {
    levels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(levels));
  }

  /**
   * The settings {@code environment} sets, the default for what it does not.
   *
   * @throws ConfigurationException naming the variable whose value cannot be read, and how to write
   *     it
   */
  public static LogSettings of(Map<String, String> environment) {
    String format = environment.getOrDefault(FORMAT_VARIABLE, "").trim();
    LogFormat parsedFormat;
    switch (format.toLowerCase(Locale.ROOT)) {
      case "", "text" -> parsedFormat = LogFormat.TEXT;
      case "json" -> parsedFormat = LogFormat.JSON;
      default ->
          throw new ConfigurationException(
              FORMAT_VARIABLE + "=" + format + " is not a log format; write text or json");
    }
    return new LogSettings(parsedFormat, levels(environment.getOrDefault(LEVELS_VARIABLE, "")));
  }

  private static Map<String, String> levels(String written) {
    Map<String, String> levels = new LinkedHashMap<>();
    for (String entry : written.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      String logger = equals < 0 ? "" : entry.substring(0, equals).trim();
      String level = equals < 0 ? "" : entry.substring(equals + 1).trim().toLowerCase(Locale.ROOT);
      if (!LOGGER.matcher(logger).matches() || !LEVEL_NAMES.contains(level)) {
        throw new ConfigurationException(
            LEVELS_VARIABLE
                + "="
                + written
                + ": '"
                + entry.trim()
                + "' is not <logger>=<level>; write e.g."
                + " dev.millrace.runtime.scheduler=debug,org.apache.kafka=warn,root=warn with levels"
                + " off, error, warn, info, debug or trace");
      }
      levels.put(logger.equals("root") ? "" : logger, level);
    }
    return levels;
  }
}
