package dev.millrace.runtime.cli;

import dev.millrace.crds.validation.InvalidSpecException;
import dev.millrace.runtime.backend.local.AlreadySupervisedException;
import dev.millrace.runtime.backend.local.LocalRun;
import dev.millrace.runtime.backend.local.LocalRunOptions;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.launch.UsageException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * {@code millrace run app.yaml [--run-dir DIR] [--keep-runs N] [--bind-address A]}: the local
 * backend. Ctrl-C or SIGTERM stops the application gracefully (final checkpoint); a second one
 * kills the driver at once.
 */
final class RunCommand {
  static final String USAGE =
      "millrace run app.yaml [--run-dir DIR] [--keep-runs N] [--bind-address A]";

  private RunCommand() {}

  /** The value of {@code --keep-runs}: a count from 1. */
  private static int keptRuns(String value) {
    if (value == null || !value.matches("[0-9]{1,9}") || Integer.parseInt(value) < 1) {
      throw new UsageException(
          "--keep-runs takes how many runs' logs to keep, at least 1, got " + value);
    }
    return Integer.parseInt(value);
  }

  static int run(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
    Path spec = null;
    Path runDirectory = null;
    LocalRunOptions options = LocalRunOptions.defaults().withOut(out);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--run-dir")) {
        if (i + 1 >= args.size()) {
          throw new UsageException("--run-dir needs a directory");
        }
        runDirectory = Path.of(args.get(++i));
      } else if (a.equals("--keep-runs")) {
        options = options.withKeptRuns(keptRuns(i + 1 < args.size() ? args.get(++i) : null));
      } else if (a.equals("--bind-address")) {
        if (i + 1 >= args.size()) {
          throw new UsageException(
              "--bind-address needs an address of this machine, e.g. 0.0.0.0 for every interface");
        }
        options = options.withBindAddress(args.get(++i));
      } else if (a.startsWith("--")) {
        throw new UsageException("unknown option " + a + " for run; usage: " + USAGE);
      } else if (spec == null) {
        spec = Path.of(a);
      } else {
        throw new UsageException("run takes one spec file, got '" + spec + "' and '" + a + "'");
      }
    }
    if (spec == null) {
      throw new UsageException("run needs a spec file: millrace run app.yaml");
    }
    if (!Files.isRegularFile(spec)) {
      throw new UsageException("no spec file at " + spec.toAbsolutePath());
    }
    LocalRun run;
    try {
      run = LocalRun.prepare(spec, options.withRunDirectory(runDirectory));
    } catch (InvalidSpecException e) {
      err.println(e.getMessage());
      return ExitCode.BAD_CONFIGURATION.code();
    }
    AtomicInteger signals = new AtomicInteger();
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(
          new Signal(name),
          s -> {
            if (signals.incrementAndGet() == 1) {
              out.println("stopping gracefully (again to kill the driver now)");
              run.requestStop();
            } else {
              out.println("killing the driver now");
              run.requestKill();
            }
          });
    }
    try {
      return run.run();
    } catch (AlreadySupervisedException e) {
      err.println("millrace: " + e.getMessage());
      return ExitCode.BAD_CONFIGURATION.code();
    }
  }
}
