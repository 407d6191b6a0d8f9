package dev.millrace.runtime.cli;

import dev.millrace.crds.validation.InvalidSpecException;
import dev.millrace.runtime.backend.local.AlreadySupervisedException;
import dev.millrace.runtime.backend.local.LocalRun;
import dev.millrace.runtime.backend.local.LocalRunOptions;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.launch.Flags;
import dev.millrace.runtime.launch.UsageException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * {@code millrace run app.yaml} with the flags {@link RunFlags} declares: the local backend. Ctrl-C
 * or SIGTERM stops the application gracefully (final checkpoint); a second one kills the driver at
 * once.
 */
final class RunCommand {
  private RunCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
    RunFlags flags = Flags.parse(new RunFlags(), args);
    Path spec = flags.spec;
    if (!Files.isRegularFile(spec)) {
      throw new UsageException("no spec file at " + spec.toAbsolutePath());
    }
    LocalRunOptions options = flags.applyTo(LocalRunOptions.defaults().withOut(out));
    LocalRun run;
    try {
      run = LocalRun.prepare(spec, options);
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
