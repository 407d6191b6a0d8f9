package dev.millrace.runtime.backend.local;

import dev.millrace.crds.SpecDurations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A driver left running by a {@code millrace run} that died without stopping it. Drivers stop by
 * themselves once their supervisor is gone, and two drivers must never share a checkpoint, so the
 * next run waits for it (SIGTERM, then SIGKILL after the graceful stop timeout) before it starts
 * its own.
 */
final class PreviousDriver {
  private PreviousDriver() {}

  /**
   * Waits for the driver whose pid {@code runDirectory} recorded, if it still runs, telling {@code
   * out}: up to {@code grace} after a SIGTERM, then a SIGKILL.
   *
   * @throws IllegalStateException if it survives SIGKILL
   */
  static void awaitStopped(RunDirectory runDirectory, Duration grace, PrintStream out)
      throws InterruptedException {
    Optional<ProcessHandle> previous = runDirectory.driverPid().flatMap(ProcessHandle::of);
    if (previous.isEmpty() || !previous.get().isAlive() || !isMillraceDriver(previous.get())) {
      return;
    }
    ProcessHandle old = previous.get();
    out.printf(
        "waiting up to %s for the previous driver (pid %d) to stop before starting%n",
        SpecDurations.format(grace), old.pid());
    old.destroy();
    try {
      old.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      out.printf("the previous driver (pid %d) did not stop: killing it%n", old.pid());
      old.destroyForcibly();
      try {
        old.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException x) {
        throw new IllegalStateException(
            "the previous driver (pid " + old.pid() + ") survived SIGKILL; stop it by hand");
      }
    }
  }

  /** Whether {@code process} is a driver (a pid reused by another program is left alone). */
  private static boolean isMillraceDriver(ProcessHandle process) {
    return process
        .info()
        .arguments()
        .map(args -> List.of(args).contains("driver") && List.of(args).contains("--spec"))
        .orElse(true);
  }
}
