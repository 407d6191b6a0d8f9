package dev.millrace.runtime.driver;

import dev.millrace.crds.launch.DriverState;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.ExecutorReport;
import dev.millrace.crds.launch.FallingBehindReport;
import dev.millrace.crds.launch.InputReport;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.source.SourceStatus;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.StreamingListener;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a driver tells its supervisor: its state, and the progress of its batches and checkpoints,
 * heard as a {@link StreamingListener} and a {@link ApplicationRunner.Lifecycle}. Records per
 * second are those of the last {@value #RECENT_BATCHES} completed batches over the batch time they
 * cover.
 *
 * <p>Each input is listed with what its source says of itself, and judged unhealthy once its outage
 * has lasted longer than {@code healthCheck.maxInputOutage}; the batches are judged {@link
 * FallingBehind} over {@code healthCheck.fallingBehindBatches}. Both verdicts are logged when they
 * change (WARN when they go wrong, INFO when they are right again), so a log shows them too.
 *
 * <p>Updated by the engine's threads and read by the status endpoint's: every access holds the
 * object's lock, and each is short.
 */
final class DriverStatusTracker implements StreamingListener, ApplicationRunner.Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(DriverStatusTracker.class);
  static final int RECENT_BATCHES = 10;
  static final long DEFAULT_MAX_INPUT_OUTAGE_MS = 60_000;
  static final int DEFAULT_FALLING_BEHIND_BATCHES = 10;

  private final String app;
  private final int attempt;
  private final long startTimeMs;
  private final long batchIntervalMs;
  private final Supplier<List<ExecutorReport>> executors;
  private final Supplier<List<InputNode<?>>> inputs;
  private final long maxInputOutageMs;
  private final LongSupplier clock;
  private final FallingBehind fallingBehind;
  private final Deque<Long> recentRecords = new ArrayDeque<>(RECENT_BATCHES);

  private DriverState state = DriverState.STARTING;
  private BatchInfo lastCompleted;
  private long batchesCompleted;
  private long recentRecordsSum;
  private Long lastCheckpointTimeMs;
  private List<String> unhealthyInputs = List.of();

  /**
   * The status of attempt {@code attempt} of {@code app}, started at {@code startTimeMs}, cutting
   * batches every {@code batchIntervalMs}, with as many executors ready as {@code executorsReady}
   * says at each report.
   */
  DriverStatusTracker(
      String app,
      int attempt,
      long startTimeMs,
      long batchIntervalMs,
      Supplier<List<ExecutorReport>> executors) {
    this(
        app,
        attempt,
        startTimeMs,
        batchIntervalMs,
        executors,
        List::of,
        DEFAULT_MAX_INPUT_OUTAGE_MS,
        DEFAULT_FALLING_BEHIND_BATCHES,
        System::currentTimeMillis);
  }

  /**
   * As above, listing the input streams {@code inputs} gives (none until the graph is defined), an
   * input unhealthy once its outage has lasted more than {@code maxInputOutageMs} on {@code clock}
   * (epoch milliseconds), and falling behind judged over {@code fallingBehindBatches}.
   */
  DriverStatusTracker(
      String app,
      int attempt,
      long startTimeMs,
      long batchIntervalMs,
      Supplier<List<ExecutorReport>> executors,
      Supplier<List<InputNode<?>>> inputs,
      long maxInputOutageMs,
      int fallingBehindBatches,
      LongSupplier clock) {
    this.executors = executors;
    this.inputs = inputs;
    this.maxInputOutageMs = maxInputOutageMs;
    this.clock = clock;
    this.fallingBehind = new FallingBehind(batchIntervalMs, fallingBehindBatches);
    this.app = app;
    this.attempt = attempt;
    this.startTimeMs = startTimeMs;
    this.batchIntervalMs = batchIntervalMs;
  }

  @Override
  public synchronized void started() {
    if (state == DriverState.STARTING) {
      state = DriverState.RUNNING;
    }
  }

  @Override
  public synchronized void stopRequested() {
    if (!isEnded()) {
      state = DriverState.STOPPING;
    }
  }

  /** The driver ends with {@code exit}. */
  synchronized void ended(ExitCode exit) {
    state = exit == ExitCode.OK ? DriverState.STOPPED : DriverState.FAILED;
  }

  private boolean isEnded() {
    return state == DriverState.STOPPED || state == DriverState.FAILED;
  }

  @Override
  public synchronized void onBatchCompleted(BatchInfo batch) {
    lastCompleted = batch;
    batchesCompleted++;
    if (recentRecords.size() == RECENT_BATCHES) {
      recentRecordsSum -= recentRecords.removeFirst();
    }
    long records = Math.max(0, batch.numRecords());
    recentRecords.addLast(records);
    recentRecordsSum += records;
    if (fallingBehind.completed(batch)) {
      FallingBehindReport behind = fallingBehind.report();
      if (behind != null) {
        LOG.warn(
            "'{}' is falling behind: {}. Make processing faster (more executors or parallelism),"
                + " lengthen the batch interval, or lower the input rate",
            app,
            behind.describe());
      } else {
        LOG.info(
            "'{}' keeps up again: batch {} waited {} ms, less than the batch interval",
            app,
            batch.batchTime(),
            batch.schedulingDelay());
      }
    }
  }

  @Override
  public synchronized void onCheckpointCompleted(long batchTime) {
    lastCheckpointTimeMs = batchTime;
  }

  /** The current state. */
  synchronized DriverState state() {
    return state;
  }

  /** The report the status endpoint serves now. */
  synchronized DriverStatusReport report() {
    BatchInfo last = lastCompleted;
    double recordsPerSecond =
        recentRecords.isEmpty()
            ? 0.0
            : recentRecordsSum * 1000.0 / (recentRecords.size() * batchIntervalMs);
    List<ExecutorReport> executors = this.executors.get();
    List<InputReport> inputReports = inputReports();
    return new DriverStatusReport(
        app,
        attempt,
        state.name(),
        startTimeMs,
        last == null ? null : last.batchTime(),
        last == null ? null : last.processingDelay(),
        last == null ? null : last.schedulingDelay(),
        last == null ? null : last.totalDelay(),
        batchesCompleted,
        last == null ? 0 : Math.max(0, last.numRecords()),
        recordsPerSecond,
        lastCheckpointTimeMs,
        executors.size(),
        executors,
        inputReports,
        fallingBehind.report());
  }

  private List<InputReport> inputReports() {
    long now = clock.getAsLong();
    List<InputReport> reports =
        inputs.get().stream()
            .map(
                node -> {
                  SourceStatus s = node.source().status();
                  boolean healthy =
                      s.outageSinceMs() == null || now - s.outageSinceMs() <= maxInputOutageMs;
                  return new InputReport(
                      node.name(),
                      s.description(),
                      s.connected(),
                      s.outageSinceMs(),
                      healthy,
                      s.lastError(),
                      s.lastErrorTimeMs(),
                      s.recordsReceived(),
                      s.bytesReceived(),
                      s.linesDropped(),
                      s.receiverRestarts(),
                      s.removableUpToMs(),
                      s.recordsPlanned(),
                      s.figures(),
                      s.lag());
                })
            .toList();
    logHealthChanges(reports);
    return reports;
  }

  private void logHealthChanges(List<InputReport> reports) {
    List<String> unhealthy = reports.stream().filter(r -> !r.healthy()).map(r -> r.name()).toList();
    for (InputReport r : reports) {
      boolean was = unhealthyInputs.contains(r.name());
      if (!r.healthy() && !was) {
        LOG.warn(
            "input {} has been unable to deliver for more than {} ms ({}; last error: {}): the"
                + " application is not Ready until it is back",
            r.describe(),
            maxInputOutageMs,
            Boolean.FALSE.equals(r.connected()) ? "disconnected" : "failing",
            r.lastError());
      } else if (r.healthy() && was) {
        LOG.info("input {} delivers again", r.describe());
      }
    }
    unhealthyInputs = unhealthy;
  }
}
