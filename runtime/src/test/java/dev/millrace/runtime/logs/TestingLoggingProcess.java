package dev.millrace.runtime.logs;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main of a process that starts Millrace's logging as a driver does and logs what {@link
 * ProcessLoggingTest} looks for: {@code TestingLoggingProcess <lines> [<log file> [<stdout file>]]}
 * logs {@code lines} numbered INFO lines, a DEBUG and an INFO line of two other loggers, Hadoop's
 * native-library WARN and another Hadoop WARN, a WARN with an exception, prints a line to {@code
 * System.out} and one to {@code System.err}, and ends with an uncaught exception.
 */
public final class TestingLoggingProcess {
  static final String LINES = "dev.millrace.testing.Lines";
  static final String CHATTY = "dev.millrace.testing.Chatty";
  static final String QUIET = "dev.millrace.testing.Quiet";
  static final String NATIVE_WARNING =
      "Unable to load native-hadoop library for your platform... using builtin-java classes where"
          + " applicable";

  private TestingLoggingProcess() {}

  public static void main(String[] args) {
    Optional<Path> logFile = args.length > 1 ? Optional.of(Path.of(args[1])) : Optional.empty();
    Optional<Path> stdoutFile = args.length > 2 ? Optional.of(Path.of(args[2])) : Optional.empty();
    ProcessLogging.start(System.getenv(), logFile, stdoutFile);
    Logger lines = LoggerFactory.getLogger(LINES);
    for (int i = 0; i < Integer.parseInt(args[0]); i++) {
      lines.info("line {} of a log that rolls", i);
    }
    LoggerFactory.getLogger(CHATTY).debug("a debug line of the chatty logger");
    LoggerFactory.getLogger(QUIET).info("an info line of the quiet logger");
    LoggerFactory.getLogger("org.apache.hadoop.util.NativeCodeLoader").warn(NATIVE_WARNING);
    LoggerFactory.getLogger("org.apache.hadoop.fs.FileSystem").warn("another Hadoop warning");
    lines.warn("a warning with its cause", new IllegalStateException("broken on purpose"));
    System.out.println("printed by the program");
    System.err.println("printed to standard error");
    throw new IllegalStateException("crashes on purpose");
  }
}
