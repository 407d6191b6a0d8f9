package dev.millrace.yarn;

import dev.millrace.crds.SpecMemory;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The main of every Millrace container: {@code ContainerMain <main class> <arguments>}. Sends
 * {@code System.out} and {@code System.err} (the logs and what {@code print()} prints) to rolling
 * files in the container's log directory, {@code stdout.log} and {@code stderr.log} ({@link
 * RollingLog}), then runs the main class. Sized by the container's environment ({@code
 * spec.driver.env}, {@code spec.executor.env}): {@code MILLRACE_LOG_FILE_SIZE} per file (default
 * {@value #DEFAULT_FILE_SIZE}) and {@code MILLRACE_LOG_FILES} rolled files kept per stream (default
 * {@value #DEFAULT_FILES}). What the JVM itself writes (a crash report) still goes to the
 * container's {@code stdout} and {@code stderr}.
 */
public final class ContainerMain {
  static final String DEFAULT_FILE_SIZE = "64Mi";
  static final int DEFAULT_FILES = 10;

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
      long fileSize = SpecMemory.bytes(env("MILLRACE_LOG_FILE_SIZE", DEFAULT_FILE_SIZE));
      int files = Integer.parseInt(env("MILLRACE_LOG_FILES", String.valueOf(DEFAULT_FILES)));
      System.setOut(rolling(dir, "stdout.log", fileSize, files));
      System.setErr(rolling(dir, "stderr.log", fileSize, files));
    }
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  // Buffered and flushed per line: each line reaches the log in one write, so it never straddles
  // two files.
  private static PrintStream rolling(Path dir, String name, long fileSize, int files)
      throws IOException {
    return new PrintStream(
        new BufferedOutputStream(new RollingLog(dir, name, fileSize, files), 16 * 1024),
        true,
        StandardCharsets.UTF_8);
  }

  private static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }
}
