package dev.millrace.runtime.backend.local;

import dev.millrace.crds.SpecDurations;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.InputReport;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.crds.supervision.StatusChanges;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchExecutor;
import dev.millrace.crds.supervision.SupervisorAction.RestartScheduled;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorExited;
import dev.millrace.crds.supervision.SupervisorView;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The lines {@code millrace run} prints for humans: one per completed batch it sees (batch time,
 * records, delays, restarts, and each input: where it reads, connected or not and since when, what
 * it received, lines dropped), one per supervision event (launch, exit, restart, give up), and one
 * when the application stops or starts being Ready because of an input, or starts or stops falling
 * behind.
 */
final class ProgressPrinter {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final DateTimeFormatter BATCH =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private final PrintStream out;
  private final String app;
  private final Duration batchLineInterval;
  private final int desiredExecutors;
  private Instant lastBatchLine; // null until the first batch line
  private final Map<String, Long> outagesTold = new HashMap<>(); // input → the outage printed

  ProgressPrinter(PrintStream out, String app, Duration batchLineInterval, int desiredExecutors) {
    this.out = out;
    this.app = app;
    this.batchLineInterval = batchLineInterval;
    this.desiredExecutors = desiredExecutors;
  }

  void starting(LocalApp local, Path logs) {
    out.printf(
        "millrace run: supervising %s (checkpoint %s, run directory %s, logs %s)%n",
        app, local.resource().getSpec().getCheckpoint().getDir(), local.runDirectory(), logs);
    if (LocalProcess.SETSID.isEmpty()) {
      out.println(
          "millrace run: setsid (util-linux) is not installed, so the driver shares this"
              + " terminal's process group: Ctrl-C reaches it directly too");
    }
  }

  void launched(LocalProcess driver, LaunchDriver launch) {
    line("driver attempt %d started: pid %d, log %s", launch.attempt(), driver.pid(), driver.log());
  }

  void executorLaunched(LocalProcess executor, LaunchExecutor launch) {
    line(
        "executor %s started: pid %d, log %s (%s)",
        launch.executorId(), executor.pid(), executor.log(), launch.reason());
  }

  void executorExited(ExecutorExited exited, Path log) {
    line(
        "executor %s exited with %s%s",
        exited.executorId(), exited.exit().describe(), cause(exited.exit(), log));
  }

  /** A driver attempt's exit, with its cause when it failed. */
  void driverExited(int attempt, ExitReport exit, Path log) {
    line("driver attempt %d exited with %s%s", attempt, exit.describe(), cause(exit, log));
  }

  /** Where the status and the web UI of a driver attempt are served, once it has said. */
  void statusAddress(int attempt, String address) {
    line("driver attempt %d status: http://%s/api/v1/status", attempt, address);
    line("driver attempt %d web UI: http://%s/", attempt, address);
  }

  /**
   * For an exit that is a failure of a process that has a log: the error its log ends with and
   * where the whole log is, so the cause shows on the console, not only in the log.
   */
  private static String cause(ExitReport exit, Path log) {
    FailureClass failure = exit.failureClass();
    if (log == null
        || failure == FailureClass.FINISHED
        || failure == FailureClass.REQUESTED
        || failure == FailureClass.INFRASTRUCTURE) {
      return "";
    }
    return FailureCause.in(log)
        .map(error -> ": " + error + " (full log: " + log + ")")
        .orElse("; its log " + log + " names no error");
  }

  void launchFailed(LaunchDriver launch, Exception e) {
    line("driver attempt %d could not be started: %s", launch.attempt(), e.getMessage());
  }

  /** A line for the newest batch, unless one was printed less than the interval ago. */
  void batch(DriverStatusReport r, SupervisorView view, Instant now) {
    if (lastBatchLine != null
        && Duration.between(lastBatchLine, now).compareTo(batchLineInterval) < 0) {
      return;
    }
    lastBatchLine = now;
    line(
        "attempt %d  %-8s batch %s  %,d records  processing %s  scheduling %s  %,.0f records/s%s"
            + "%s  restarts %d%s",
        r.attempt(),
        view.phase(),
        BATCH.format(Instant.ofEpochMilli(r.lastCompletedBatchTimeMs())),
        r.recordsLastBatch(),
        millis(r.processingDelayMs()),
        millis(r.schedulingDelayMs()),
        r.recordsPerSecond(),
        r.lastCheckpointTimeMs() == null
            ? ""
            : "  checkpoint " + BATCH.format(Instant.ofEpochMilli(r.lastCheckpointTimeMs())),
        desiredExecutors == 0
            ? ""
            : "  executors " + r.executorsReady() + "/" + desiredExecutors + statePartitions(r),
        view.restartsTotal(),
        inputs(r, now));
  }

  /**
   * {@code " input localhost:9999 connected, 1,204 lines, 61 KiB"} or {@code " input localhost:9092
   * subscribe=orders, 12,000 planned, lag 300"}, one part per input; an input in an outage shows
   * how long and its last error instead.
   */
  private static String inputs(DriverStatusReport r, Instant now) {
    StringBuilder line = new StringBuilder();
    for (InputReport input : r.inputs()) {
      line.append("  input ").append(input.source() == null ? input.name() : input.source());
      if (input.outageSinceMs() != null) {
        line.append(Boolean.FALSE.equals(input.connected()) ? " DISCONNECTED" : " FAILING")
            .append(" for ")
            .append(
                SpecDurations.format(
                    Duration.ofSeconds(
                        Math.max(
                            0,
                            Duration.between(Instant.ofEpochMilli(input.outageSinceMs()), now)
                                .toSeconds()))));
        if (input.lastError() != null) {
          line.append(" (").append(input.lastError()).append(')');
        }
      } else if (Boolean.TRUE.equals(input.connected())) {
        line.append(" connected");
      }
      if (input.recordsReceived() != null) {
        line.append(
            String.format(
                Locale.ROOT,
                ", %,d %s",
                input.recordsReceived(),
                input.recordsReceived() == 1 ? "line" : "lines"));
      }
      if (input.bytesReceived() != null) {
        line.append(", ").append(bytes(input.bytesReceived()));
      }
      if (input.linesDropped() > 0) {
        line.append(String.format(Locale.ROOT, ", %,d too long dropped", input.linesDropped()));
      }
      if (input.receiverRestarts() > 0) {
        line.append(
            String.format(Locale.ROOT, ", receiver restarted %d×", input.receiverRestarts()));
      }
      if (input.recordsPlanned() != null) {
        line.append(String.format(Locale.ROOT, ", %,d planned", input.recordsPlanned()));
      }
      input
          .figures()
          .forEach((name, value) -> line.append(", ").append(name).append(' ').append(value));
    }
    return line.toString();
  }

  private static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.0f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }

  /**
   * A line, from each status the driver reports, when an input becomes unable to deliver (naming
   * its error) and when it delivers again: a broker that is down shows at once, not only when
   * batches stop or the Ready condition's grace runs out.
   */
  void inputHealth(DriverStatusReport r) {
    for (InputReport input : r.inputs()) {
      String name = input.source() == null ? input.name() : input.source();
      Long since = input.outageSinceMs();
      Long told = outagesTold.get(name);
      if (since != null && !since.equals(told)) {
        outagesTold.put(name, since);
        line(
            "input %s cannot deliver since %s%s",
            name,
            CLOCK.format(Instant.ofEpochMilli(since)),
            input.lastError() == null ? "" : ": " + input.lastError());
      } else if (since == null && told != null) {
        outagesTold.remove(name);
        line("input %s delivers again", name);
      }
    }
  }

  /**
   * A line when the application stops being Ready because an input is out, or is Ready again; and
   * when it starts or stops falling behind.
   */
  void conditions(StreamingAppStatus before, StreamingAppStatus after) {
    for (StatusChanges.Change change : StatusChanges.between(before, after)) {
      line("%s", change.sentence());
    }
  }

  /** {@code " (state partitions 2+1+1)"}: how many partitions of keyed state each one owns. */
  private static String statePartitions(DriverStatusReport r) {
    if (r.executors().stream().allMatch(e -> e.statePartitions() == 0)) {
      return "";
    }
    return r.executors().stream()
        .map(e -> String.valueOf(e.statePartitions()))
        .collect(Collectors.joining("+", " (state partitions ", ")"));
  }

  void stopping(StopDriver stop) {
    line(
        "stopping driver attempt %d gracefully (up to %s): %s",
        stop.attempt(), SpecDurations.format(stop.gracePeriod()), stop.reason());
  }

  void killing(KillDriver kill) {
    line("killing driver attempt %d: %s", kill.attempt(), kill.reason());
  }

  void restartScheduled(RestartScheduled scheduled) {
    line(
        "attempt %d starts in %s: %s",
        scheduled.attempt(), SpecDurations.format(scheduled.delay()), scheduled.reason());
  }

  void gaveUp(GiveUp giveUp) {
    line("giving up: %s", giveUp.reason());
  }

  void finished(SupervisorView view) {
    line("%s %s: %s", app, view.phase(), view.message());
  }

  private static String millis(Long value) {
    return value == null ? "-" : value + " ms";
  }

  private void line(String format, Object... args) {
    out.println(CLOCK.format(Instant.now()) + "  " + String.format(Locale.ROOT, format, args));
  }
}
