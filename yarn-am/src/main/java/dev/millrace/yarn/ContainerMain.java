package dev.millrace.yarn;

import dev.millrace.runtime.logs.LogLimits;
import dev.millrace.runtime.logs.ProcessLogging;
import dev.millrace.streaming.ConfigurationException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The main of every Millrace container: {@code ContainerMain <main class> <arguments>}. Starts the
 * process's logging ({@link ProcessLogging}) into rolling files in the container's log directory:
 * the log lines and what {@code System.err} prints into {@code stderr.log}, what {@code System.out}
 * prints into {@code stdout.log}; then runs the main class. Sized by the container's environment
 * ({@code spec.driver.env}, {@code spec.executor.env}) as {@link LogLimits} reads it: {@code
 * MILLRACE_LOG_FILE_SIZE} per file (default 64Mi) and {@code MILLRACE_LOG_FILES} rolled files kept
 * per stream (default 10). What the JVM itself writes (its start-up errors, a crash report) still
 * goes to the container's {@code stdout} and {@code stderr}.
 */
public final class ContainerMain {
  private ContainerMain() {}

  /** Installs the rolling logs and runs {@code args[0]} with the rest of {@code args}. */
  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: ContainerMain <main class> <arguments>");
      System.exit(78);
    }
    String logDirs = System.getenv("LOG_DIRS");
    if (logDirs != null && !logDirs.isBlank()) {
      Path dir = Path.of(logDirs.split(",")[0]);
      // It sets the system properties naming both files, so the driver's and executor's Millrace
      // main, which starts logging again, keeps them.
      try {
        ProcessLogging.start(
            System.getenv(),
            Optional.of(dir.resolve("stderr.log")),
            Optional.of(dir.resolve("stdout.log")));
      } catch (ConfigurationException e) {
        System.err.println("millrace: cannot start logging: " + e.getMessage());
        System.exit(78);
      }
    }
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
