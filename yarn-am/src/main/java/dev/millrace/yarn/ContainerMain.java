package dev.millrace.yarn;

import dev.millrace.runtime.logs.LogLimits;
import dev.millrace.runtime.logs.RollingLog;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The main of every Millrace container: {@code ContainerMain <main class> <arguments>}. Sends
 * {@code System.out} and {@code System.err} (the logs and what {@code print()} prints) to rolling
 * files in the container's log directory, {@code stdout.log} and {@code stderr.log} ({@link
 * RollingLog}), then runs the main class. Sized by the container's environment ({@code
 * spec.driver.env}, {@code spec.executor.env}) as {@link LogLimits} reads it: {@code
 * MILLRACE_LOG_FILE_SIZE} per file (default 64Mi) and {@code MILLRACE_LOG_FILES} rolled files kept
 * per stream (default 10). What the JVM itself writes (a crash report) still goes to the
 * container's {@code stdout} and {@code stderr}.
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
      LogLimits limits = LogLimits.of(System.getenv());
      System.setOut(limits.open(dir, "stdout.log"));
      System.setErr(limits.open(dir, "stderr.log"));
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
