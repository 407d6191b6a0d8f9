package dev.millrace.runtime.cli;

import dev.millrace.runtime.checkpoint.CheckpointInUseException;
import dev.millrace.runtime.checkpoint.CheckpointVanishedException;
import dev.millrace.runtime.recovery.CheckpointIncompatibleException;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs a {@link StreamingApplication} in this process until it stops: builds the context, lets the
 * application define its graph, starts it, and turns SIGTERM and Ctrl-C into a graceful stop
 * (finish queued batches, then exit 0).
 */
public final class ApplicationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationRunner.class);

  private ApplicationRunner() {}

  /**
   * Runs {@code app} named {@code appName} with {@code options}; returns the exit code.
   *
   * @throws IllegalArgumentException if the options are invalid (before anything starts)
   */
  public static ExitCode run(StreamingApplication app, String appName, RunOptions options)
      throws InterruptedException {
    StreamingContext ssc =
        StreamingContext.builder()
            .master(options.master())
            .appName(appName)
            .batchInterval(options.batchInterval())
            .conf(options.conf())
            .build();
    app.define(ssc, options.appArgs().toArray(String[]::new));
    return runUntilStopped(ssc);
  }

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
    Runnable gracefulStop =
        () -> {
          if (signalled.compareAndSet(false, true)) {
            LOG.info("stop requested by signal; finishing queued batches");
            lifecycle.stopRequested();
            Thread t = new Thread(() -> ssc.stop(true), "millrace-signal-stop");
            t.start();
          }
        };
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> gracefulStop.run());
    }
    try {
      ssc.start();
    } catch (CheckpointIncompatibleException e) {
      LOG.error("application '{}' cannot resume: {}", ssc.appName(), e.getMessage());
      return ExitCode.CHECKPOINT_INCOMPATIBLE;
    } catch (CheckpointInUseException e) {
      LOG.error("application '{}' does not start: {}", ssc.appName(), e.getMessage());
      return ExitCode.CHECKPOINT_IN_USE;
    }
    lifecycle.started();
    try {
      ssc.awaitTermination();
      return ExitCode.OK;
    } catch (StreamingException e) {
      ExitCode code = exitCodeOf(e);
      if (code == ExitCode.APPLICATION_FAILURE) {
        LOG.error("application '{}' failed: {}", ssc.appName(), e.getMessage());
      } else {
        // The checkpoint's own finding says it all; the batch that met it is in the log above.
        LOG.error("application '{}' stopped: {}", ssc.appName(), checkpointCause(e).getMessage());
      }
      return code;
    }
  }

  /**
   * The exit code of a run that ended with {@code failure}: a checkpoint that another driver took
   * over ({@link ExitCode#CHECKPOINT_IN_USE}) or that vanished ({@link
   * ExitCode#CHECKPOINT_DAMAGED}) is not cured by a restart; anything else is an application
   * failure.
   */
  static ExitCode exitCodeOf(Throwable failure) {
    Throwable cause = checkpointCause(failure);
    if (cause instanceof CheckpointIncompatibleException) {
      return ExitCode.CHECKPOINT_INCOMPATIBLE;
    }
    if (cause instanceof CheckpointInUseException) {
      return ExitCode.CHECKPOINT_IN_USE;
    }
    if (cause instanceof CheckpointVanishedException) {
      return ExitCode.CHECKPOINT_DAMAGED;
    }
    return ExitCode.APPLICATION_FAILURE;
  }

  /** The first checkpoint finding a restart cannot cure in {@code failure}'s causes, or itself. */
  private static Throwable checkpointCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CheckpointIncompatibleException
          || t instanceof CheckpointInUseException
          || t instanceof CheckpointVanishedException) {
        return t;
      }
    }
    return failure;
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
