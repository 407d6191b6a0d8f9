package dev.millrace.runtime.cli;

import java.io.PrintStream;
import java.util.List;

/** The {@code millrace} command in this JVM, for tests of other packages. */
public final class TestingCli {
  private TestingCli() {}

  /** Runs {@code args} as the command line would, returning the exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return Millrace.run(args, out, err);
  }
}
