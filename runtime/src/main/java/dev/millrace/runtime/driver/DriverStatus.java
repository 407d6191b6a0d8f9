package dev.millrace.runtime.driver;

import dev.millrace.crds.launch.DriverState;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.ExecutorReport;
import dev.millrace.runtime.cli.ApplicationRunner;
import dev.millrace.runtime.cli.ExitCode;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.StreamingListener;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a driver tells its supervisor: its state, and the progress of its batches and checkpoints,
 * heard as a {@link StreamingListener} and a {@link ApplicationRunner.Lifecycle}. Records per
 * second are those of the last {@value #RECENT_BATCHES} completed batches over the batch time they
 * cover.
 *
 * <p>Updated by the engine's threads and read by the status endpoint's: every access holds the
 * object's lock, and each is short.
 */
final class DriverStatus implements StreamingListener, ApplicationRunner.Lifecycle {
  static final int RECENT_BATCHES = 10;

  private final String app;
  private final int attempt;
  private final long startTimeMs;
  private final long batchIntervalMs;
  private final Supplier<List<ExecutorReport>> executors;
  private final Deque<Long> recentRecords = new ArrayDeque<>(RECENT_BATCHES);

  private DriverState state = DriverState.STARTING;
  private BatchInfo lastCompleted;
  private long batchesCompleted;
  private long recentRecordsSum;
  private Long lastCheckpointTimeMs;

  /**
   * The status of attempt {@code attempt} of {@code app}, started at {@code startTimeMs}, cutting
   * batches every {@code batchIntervalMs}, with as many executors ready as {@code executorsReady}
   * says at each report.
   */
  DriverStatus(
      String app,
      int attempt,
      long startTimeMs,
      long batchIntervalMs,
      Supplier<List<ExecutorReport>> executors) {
    this.executors = executors;
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
        executors);
  }
}
