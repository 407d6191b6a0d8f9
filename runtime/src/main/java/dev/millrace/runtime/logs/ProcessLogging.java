package dev.millrace.runtime.logs;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.LoggerFactory;

/**
 * Starts the logging of a Millrace process (Log4j 2, the one slf4j provider on its class path), the
 * first thing each main does: Millrace's default configuration ({@value #DEFAULT_CONFIGURATION})
 * unless {@code -Dlog4j2.configurationFile} or {@code LOG4J_CONFIGURATION_FILE} names the user's,
 * the format and levels of the environment ({@link LogSettings}), and where the lines go: the
 * console (standard error), or a file rolled at the environment's {@link LogLimits} where a backend
 * keeps logs in files ({@code millrace run}'s processes, YARN containers). A process logging into a
 * file sends what it prints there too ({@link PrintedLines}), or, given a separate file for it,
 * what {@code System.out} prints there.
 *
 * <p>Calling it again in the same process (a YARN container's main, then the command it runs) sets
 * the same again.
 */
public final class ProcessLogging {
  /** Millrace's default configuration, a resource of this jar. */
  public static final String DEFAULT_CONFIGURATION = "dev/millrace/runtime/logs/log4j2.xml";

  /** Log4j's system property naming a configuration file. */
  static final String CONFIGURATION_PROPERTY = "log4j2.configurationFile";

  /** Log4j's environment variable naming a configuration file. */
  static final String CONFIGURATION_VARIABLE = "LOG4J_CONFIGURATION_FILE";

  /**
   * The system property naming the file {@code System.out} prints into (YARN's {@code stdout.log}),
   * set by {@link #start} with {@link LogLimits#LOG_FILE_PROPERTY}.
   */
  public static final String STDOUT_FILE_PROPERTY = "millrace.log.stdout-file";

  /** The variable naming the application, for the {@code app} field of JSON lines. */
  public static final String APP_VARIABLE = "MILLRACE_APP";

  /** System properties that set {@link LogSettings}' variables, e.g. in MILLRACE_JAVA_OPTS. */
  static final Map<String, String> PROPERTIES =
      Map.of(
          "millrace.log.format", LogSettings.FORMAT_VARIABLE,
          "millrace.log.levels", LogSettings.LEVELS_VARIABLE);

  private ProcessLogging() {}

  /**
   * Starts logging to the console ({@code logFile} empty) or into {@code logFile}; on YARN, {@code
   * stdoutFile} takes what {@code System.out} prints. Call it before any logger is created.
   *
   * @throws dev.millrace.streaming.ConfigurationException if the environment's settings or limits
   *     cannot be read, naming the variable
   */
  public static void start(
      Map<String, String> environment, Optional<Path> logFile, Optional<Path> stdoutFile) {
    Map<String, String> settingsEnvironment = new HashMap<>(environment);
    PROPERTIES.forEach(
        (property, variable) -> {
          String value = System.getProperty(property);
          if (value != null) {
            settingsEnvironment.put(variable, value);
          }
        });
    LogSettings settings = LogSettings.of(settingsEnvironment);
    Map<String, String> properties = new LinkedHashMap<>();
    if (System.getProperty(CONFIGURATION_PROPERTY) == null
        && environment.getOrDefault(CONFIGURATION_VARIABLE, "").isBlank()) {
      properties.put(CONFIGURATION_PROPERTY, "classpath:" + DEFAULT_CONFIGURATION);
    }
    properties.put(
        "millrace.log.format", settings.format().name().toLowerCase(java.util.Locale.ROOT));
    String app = environment.getOrDefault(APP_VARIABLE, "");
    if (!app.isBlank()) {
      properties.put("millrace.log.app", app);
    }
    if (logFile.isPresent()) {
      LogLimits limits = LogLimits.of(environment);
      Path file = logFile.get().toAbsolutePath();
      properties.put(LogLimits.LOG_FILE_PROPERTY, file.toString());
      properties.put("millrace.log.directory", file.getParent().toString());
      properties.put("millrace.log.file-name", file.getFileName().toString());
      properties.put("millrace.log.file-bytes", String.valueOf(limits.fileBytes()));
      properties.put("millrace.log.files", String.valueOf(limits.files()));
      stdoutFile.ifPresent(
          out -> {
            properties.put(STDOUT_FILE_PROPERTY, out.toAbsolutePath().toString());
            properties.put("millrace.log.stdout-name", out.getFileName().toString());
          });
    }
    properties.forEach(System::setProperty);
    // Starts Log4j with the properties above, before the levels are set on its configuration.
    LogManager.getContext(false);
    Map<String, Level> levels = new LinkedHashMap<>();
    settings
        .levels()
        .forEach(
            (logger, level) ->
                levels.put(logger, Level.valueOf(level.toUpperCase(java.util.Locale.ROOT))));
    Configurator.setLevel(levels);
    if (logFile.isPresent()) {
      System.setOut(printed("stdout", org.slf4j.event.Level.INFO));
      System.setErr(printed("stderr", org.slf4j.event.Level.WARN));
    }
  }

  private static PrintStream printed(String logger, org.slf4j.event.Level level) {
    return new PrintStream(
        new PrintedLines(LoggerFactory.getLogger(logger), level), true, StandardCharsets.UTF_8);
  }
}
