package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.dataset.Dataset;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where an input stream's records come from. The batch generator calls {@link #take} once per batch
 * time, in time order, on one thread.
 *
 * <p>With checkpointing on, a source also takes part in driver recovery, always on the generator's
 * thread or before it starts:
 *
 * <ol>
 *   <li>When it is created: sources that cannot re-read their input (sockets) are given the
 *       checkpoint store and keep a write-ahead log there.
 *   <li>{@link #encodePlan} right after every {@code take}: the bytes go to the batch log before
 *       the batch runs, and a recovery hands them back to {@link #replay} to re-read exactly that
 *       input.
 *   <li>{@link #snapshot} right after the {@code take} of a checkpoint batch, and once after {@code
 *       start}: the source's position (names seen, log offsets), stored in the checkpoint
 *       generation.
 *   <li>On restart, {@link #recover} instead of {@code start}: the position of the newest valid
 *       generation, advanced by the plans logged after it. Then {@code replay} for each of those
 *       plans, in time order, and {@code take} for the batches after them. Before {@code recover},
 *       {@link #unplanned} for the batches among them whose plan is missing.
 *   <li>{@link #checkpointCommitted} once the generation holding a snapshot is committed: input
 *       before that position is never replayed again, and a write-ahead log may drop it.
 * </ol>
 *
 * @param <T> record type
 */
public interface InputSource<T> {

  /**
   * Starts intake (connects, lists what already exists) before the first batch at {@code
   * firstBatchTime}.
   */
  void start(long firstBatchTime);

  /**
   * The input of batch {@code batchTime}. With {@code lastBatch} the context is stopping
   * gracefully: return what was already received, take nothing new.
   */
  Dataset<T> take(long batchTime, boolean lastBatch);

  /** Stops intake and releases threads and connections; idempotent. */
  void stop();

  /**
   * Whether records already received are waiting for a batch: after {@link #stop()}, a graceful
   * stop generates one last batch for them.
   */
  default boolean hasBufferedInput() {
    return false;
  }

  /**
   * Whether another process that defines the same graph can {@link #replay} this source's plans:
   * true when a plan names files every process reads, or holds the records; false when it points
   * into a log only this driver has opened (a socket stream's write-ahead log).
   */
  default boolean replaysAnywhere() {
    return false;
  }

  /**
   * Encodes the input {@code taken} (just returned by {@link #take}) so that {@link #replay} can
   * rebuild exactly the same records after a driver failure: file names, log offsets, or the
   * records themselves.
   */
  byte[] encodePlan(Dataset<T> taken);

  /**
   * The parts of {@code taken}, a batch this input took or replayed, the first {@code shown} of
   * them described; empty if the input does not know its batches' parts. Per batch, never per
   * record: it describes at most {@code shown} parts.
   */
  default Optional<InputParts> parts(String input, Dataset<T> taken, int shown) {
    return java.util.Optional.empty();
  }

  /** The input of batch {@code batchTime} rebuilt from its {@linkplain #encodePlan plan}. */
  Dataset<T> replay(long batchTime, byte[] plan);

  /** The source's position after the latest {@code take} (or {@code start}), for a checkpoint. */
  byte[] snapshot();

  /**
   * Starts intake after a driver restart, in place of {@link #start}: positioned as {@code
   * snapshot} says, advanced past everything in {@code plansSince} (the plans of the batches logged
   * after that snapshot, in time order, which the scheduler replays). The next {@code take} is for
   * {@code nextBatchTime}.
   */
  void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince);

  /**
   * Checks, before a recovery replays logged batch {@code batchTime} from its {@code plan} (after
   * {@link #recover}), that the input the plan names is still there: a replay that reads it would
   * fail, and so would every restart. A source whose plans hold or log their input has nothing to
   * check.
   *
   * @throws InputMissingException naming the input that is gone, the batch and the rule
   */
  default void checkReplayable(long batchTime, byte[] plan) {}

  /**
   * What the batches from {@code firstTime} to {@code lastTime} had taken, although the batch log
   * holds no plan for them (an operator deleted their damaged plan files): a recovery runs them as
   * if their input had been empty and skips that input, which it passes to {@link #recover} among
   * {@code plansSince}, in the order of batch times, so that no later batch takes it. Called before
   * {@code recover}, and to tell an operator what deleting a damaged plan would skip; it changes
   * nothing.
   *
   * <p>When no logged batch follows them, nothing is skipped: their input is taken again by the
   * batches planned in their place, from the position the plans before them leave.
   *
   * @param snapshot the position in the generation the recovery restores
   * @param plansSince the plans logged after that generation, by batch time; none of them is for a
   *     batch from {@code firstTime} to {@code lastTime}
   */
  SkippedInput unplanned(
      long firstTime, long lastTime, byte[] snapshot, NavigableMap<Long, byte[]> plansSince);

  /**
   * The rate backpressure allows from now on: each later batch takes at most {@link
   * RateLimit#recordsPerBatch()} records (except the last batch of a graceful stop), and records
   * held back wait for later batches, never dropped. Called on the batch-processing thread while
   * {@link #take} may run on the generator thread; a source that cannot limit ignores it.
   */
  default void updateRateLimit(RateLimit limit) {}

  /**
   * The checkpoint generation of batch {@code batchTime} holding {@code snapshot} (a {@link
   * #snapshot} of this source, perhaps by an earlier driver) is committed and is the oldest one
   * kept, and its batches' plans are forgotten: no recovery will replay or re-buffer input before
   * that position again, so a source may delete what it logged, or the input it read, before it.
   * Called on the batch-processing thread while {@link #take} may run on the generator thread, and
   * again with the same generation as long as it is the oldest; a failure to delete is the source's
   * to log and retry, never the caller's to handle.
   */
  default void checkpointCommitted(long batchTime, byte[] snapshot) {}

  /**
   * The newest batch time up to which the input this source read may be removed from where it came
   * from (a committed checkpoint that recoveries can fall back to covers it), or empty when no
   * checkpoint has covered any yet or the source's input is not its to tell.
   */
  default OptionalLong inputRemovableUpTo() {
    return OptionalLong.empty();
  }

  /**
   * Where this source reads, and how it is doing now (connection, outage, errors, counts), for the
   * driver's status. Called from the status endpoint's threads at any time, before {@link #start}
   * too; it must be cheap and never block on I/O.
   */
  SourceStatus status();
}
