package dev.millrace.runtime.driver;

import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs a {@link StreamingApplication}'s context in this process until it stops: starts it, and
 * turns SIGTERM and Ctrl-C into a graceful stop (finish queued batches, then exit 0). The driver
 * and {@code millrace app} run their applications through it.
 */
public final class ApplicationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationRunner.class);

  private ApplicationRunner() {}

  /** Starts {@code ssc} and waits until it stops, stopping gracefully on SIGTERM or SIGINT. */
  public static ExitCode runUntilStopped(StreamingContext ssc) throws InterruptedException {
    return runUntilStopped(ssc, new Lifecycle() {});
  }

  /**
   * Starts {@code ssc} and waits until it stops, stopping gracefully on SIGTERM or SIGINT, and
   * tells {@code lifecycle} when it has started and when a stop was requested.
   */
  public static ExitCode runUntilStopped(StreamingContext ssc, Lifecycle lifecycle)
      throws InterruptedException {
    AtomicBoolean signalled = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          s -> {
            if (signalled.compareAndSet(false, true)) {
              LOG.info("stop requested by SIG{}; finishing queued batches", s.getName());
              lifecycle.stopRequested();
              Thread t = new Thread(() -> ssc.stop(true), "millrace-signal-stop");
              t.start();
            } else {
              LOG.info("SIG{} while stopping: still finishing queued batches", s.getName());
            }
          });
    }
    try {
      ssc.start();
    } catch (RuntimeException e) {
      Throwable cause = ExitCode.incurableCause(e).orElseThrow(() -> e);
      ExitCode code = ExitCode.restartCannotHelp(cause).orElseThrow();
      LOG.error(
          "application '{}' cannot start: {} (exit code {})",
          ssc.appName(),
          cause.getMessage(),
          code.code());
      return code;
    }
    lifecycle.started();
    try {
      ssc.awaitTermination();
      return ExitCode.OK;
    } catch (StreamingException e) {
      Optional<Throwable> incurable = ExitCode.incurableCause(e);
      if (incurable.isEmpty()) {
        LOG.error("application '{}' failed: {}", ssc.appName(), e.getMessage());
        return ExitCode.APPLICATION_FAILURE;
      }
      ExitCode code = ExitCode.restartCannotHelp(incurable.get()).orElseThrow();
      // The checkpoint's or the input's own finding says it all; the batch that met it is logged.
      LOG.error(
          "application '{}' stopped: {} (exit code {})",
          ssc.appName(),
          incurable.get().getMessage(),
          code.code());
      return code;
    }
  }

  /**
   * What the caller of {@link #runUntilStopped(StreamingContext, Lifecycle)} hears of the run
   * besides batches, for instance to report it to a supervisor.
   */
  public interface Lifecycle {
    /** The context has started: a recovery is done and batches are being generated. */
    default void started() {}

    /** A signal asked for a graceful stop: intake stops and queued batches are finished. */
    default void stopRequested() {}
  }
}
