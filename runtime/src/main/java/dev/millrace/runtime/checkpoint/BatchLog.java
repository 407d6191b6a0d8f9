package dev.millrace.runtime.checkpoint;

import static dev.millrace.runtime.checkpoint.CheckpointLayout.checkBatchTime;
import static dev.millrace.runtime.checkpoint.CheckpointLayout.timeName;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.batch.MalformedPlanException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The batch log of a checkpoint directory ({@code batches/}): a plan recorded before each batch
 * runs and a done mark after its outputs are committed, read back as the batches a recovery
 * replays, and forgotten once a generation covers them.
 */
final class BatchLog {
  private final CheckpointFiles directory;
  private final FileSystem fs;
  private final Path batches;

  BatchLog(CheckpointFiles files, Path root) {
    this.directory = files;
    this.fs = files.fs();
    this.batches = new Path(root, CheckpointLayout.BATCHES);
  }

  /**
   * Records the plan of a batch before it runs, atomically; a recovery re-runs the batch with
   * exactly this plan unless it was {@linkplain #markDone marked done}.
   */
  void recordPlan(BatchPlan plan) {
    long batchTime = plan.batchTime();
    checkBatchTime(batchTime);
    directory.checkWritable();
    Path temp = new Path(batches, CheckpointLayout.tempName(timeName(batchTime)));
    try {
      directory.writeFile(temp, plan.toLogBytes());
      directory.moveIntoPlace(temp, planPath(batchTime), timeName(batchTime));
    } catch (IOException e) {
      throw directory.writeFailure("write the plan of batch " + batchTime, temp, e);
    }
  }

  /** Marks a batch done: its outputs are committed and it must not be re-run. */
  void markDone(long batchTime) {
    checkBatchTime(batchTime);
    directory.checkWritable();
    Path done = donePath(batchTime);
    try {
      fs.create(done, true).close();
    } catch (IOException e) {
      throw directory.writeFailure("write the done mark of batch " + batchTime, done, e);
    }
  }

  /**
   * Every batch with a recorded plan, done or not, in time order: a recovery recomputes the state
   * of the done ones and re-runs the others.
   *
   * @throws CorruptBatchPlanException if a plan file is truncated or corrupt
   */
  ReplayLog loggedBatches() {
    ReplayLog log = replayLogAfter(-1);
    if (!log.damaged().isEmpty()) {
      throw new CorruptBatchPlanException(log.damaged().get(0));
    }
    return log;
  }

  /**
   * The batch log after {@code batchTime}, the time of the generation a recovery restores: the
   * plans of later batches, those that do not verify, and the done marks whose plan is gone. Plans
   * at or before {@code batchTime} are not read: that generation covers their batches.
   *
   * @throws CheckpointException if a plan cannot be read (an I/O error, which a retry may cure)
   */
  ReplayLog replayLogAfter(long batchTime) {
    Entries log = readBatchLog();
    List<BatchPlan> logged = new ArrayList<>();
    TreeSet<Long> done = new TreeSet<>();
    List<DamagedPlan> damaged = new ArrayList<>();
    for (long time : log.planned().tailSet(batchTime, false)) {
      Path path = planPath(time);
      try {
        logged.add(BatchPlan.fromLogBytes(time, directory.readFile(path)));
        if (log.done().contains(time)) {
          done.add(time);
        }
      } catch (MalformedPlanException e) {
        damaged.add(new DamagedPlan(path.toString(), time, e.getMessage()));
      } catch (IOException e) {
        throw directory.readFailure("the plan of batch " + time, path, e);
      }
    }
    TreeSet<Long> doneWithoutPlan = new TreeSet<>(log.done().tailSet(batchTime, false));
    doneWithoutPlan.removeAll(log.planned());
    return new ReplayLog(logged, done, damaged, doneWithoutPlan);
  }

  /** Whether the batch log holds any plan, without reading one. */
  boolean hasLoggedBatches() {
    return !readBatchLog().planned().isEmpty();
  }

  /**
   * Deletes the done mark of batch {@code batchTime}: its plan is gone and the batch will be
   * planned again, which must run its outputs.
   */
  void forgetDoneMark(long batchTime) {
    directory.checkWritable();
    Path done = donePath(batchTime);
    try {
      fs.delete(done, false);
    } catch (IOException e) {
      throw directory.writeFailure("delete the done mark of batch " + batchTime, done, e);
    }
  }

  /** Where the plan of batch {@code batchTime} is (or would be) logged, for messages. */
  String planLocation(long batchTime) {
    return planPath(batchTime).toString();
  }

  /**
   * Deletes the plans and done marks of batches up to and including {@code batchTime}; call it once
   * a generation covering them is committed, so the log stays bounded.
   */
  void forgetBatchesUpTo(long batchTime) {
    directory.checkWritable();
    List<Path> plansAndTemps = new ArrayList<>();
    List<Path> doneMarks = new ArrayList<>();
    for (FileStatus status : directory.list(batches)) {
      String name = status.getPath().getName();
      OptionalLong time = CheckpointLayout.batchFileTime(name);
      if (time.isEmpty()) {
        time = CheckpointLayout.hiddenTime(name);
      }
      if (time.isPresent() && time.getAsLong() <= batchTime) {
        (name.endsWith(CheckpointLayout.DONE_SUFFIX) ? doneMarks : plansAndTemps)
            .add(status.getPath());
      }
    }
    // Plans go first: a done mark outliving its plan is harmless, a plan outliving its done mark
    // would make a stop half-way through re-run a batch the committed generation already covers.
    plansAndTemps.addAll(doneMarks);
    for (Path path : plansAndTemps) {
      try {
        fs.delete(path, false);
      } catch (IOException e) {
        throw directory.writeFailure("delete the batch log entry", path, e);
      }
    }
  }

  private record Entries(TreeSet<Long> planned, TreeSet<Long> done) {}

  private Entries readBatchLog() {
    Entries log = new Entries(new TreeSet<>(), new TreeSet<>());
    for (FileStatus status : directory.list(batches)) {
      String name = status.getPath().getName();
      CheckpointLayout.batchFileTime(name)
          .ifPresent(
              t ->
                  (name.endsWith(CheckpointLayout.PLAN_SUFFIX) ? log.planned() : log.done())
                      .add(t));
    }
    return log;
  }

  private Path planPath(long batchTime) {
    return new Path(batches, timeName(batchTime) + CheckpointLayout.PLAN_SUFFIX);
  }

  private Path donePath(long batchTime) {
    return new Path(batches, timeName(batchTime) + CheckpointLayout.DONE_SUFFIX);
  }
}
