package dev.millrace.runtime.ui;

import dev.millrace.runtime.checkpoint.KeptGeneration;
import dev.millrace.runtime.checkpoint.SkippedGeneration;
import dev.millrace.runtime.recovery.CheckpointOpened;
import dev.millrace.streaming.CheckpointInfo;
import dev.millrace.streaming.StreamingListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What the Checkpoints page shows, kept as the driver hears it: the generations the directory holds
 * (those an earlier driver wrote as their manifests describe them when this driver started, then
 * each one this driver writes, with how long writing it took), and what the recovery at this
 * driver's start found. Nothing is read from the checkpoint directory when the page asks.
 *
 * <p>Told by the engine's threads and read by the HTTP server's: every access holds the object's
 * lock, and each is short.
 */
public final class CheckpointsView implements StreamingListener {
  /**
   * The answer of {@code /api/v1/checkpoints}.
   *
   * @param directory the checkpoint directory's URI
   * @param intervalMs how often a generation is written, or null before the graph started
   * @param retained how many of the newest generations the directory keeps
   * @param started {@code fresh}, {@code recovered}, or null before the graph started
   * @param lastCheckpointAgeMs how long ago the newest generation was committed, or null before one
   * @param generations the generations kept now, newest first
   * @param recovery what the recovery at this driver's start found, or null if it did not recover
   */
  public record Report(
      String directory,
      Long intervalMs,
      int retained,
      String started,
      Long lastCheckpointAgeMs,
      List<GenerationRow> generations,
      Recovery recovery) {}

  /**
   * One generation kept.
   *
   * @param batchTime its batch time
   * @param writtenAtMs when it was committed, epoch milliseconds
   * @param durationMs how long writing it took, from the state's snapshot on; null for one an
   *     earlier driver wrote
   * @param bytes the bytes of its files
   * @param writtenBy {@code this driver} or {@code an earlier driver}
   * @param passedOver why the recovery at this driver's start passed over it (it is kept, but
   *     damaged), or null
   */
  public record GenerationRow(
      long batchTime,
      long writtenAtMs,
      Long durationMs,
      long bytes,
      String writtenBy,
      String passedOver) {}

  /**
   * What the recovery at this driver's start found.
   *
   * @param restoredBatchTime the generation it restored
   * @param fallbacks the newer generations it passed over, newest first, each with why
   */
  public record Recovery(long restoredBatchTime, List<SkippedGeneration> fallbacks) {}

  static final String THIS_DRIVER = "this driver";
  static final String EARLIER_DRIVER = "an earlier driver";

  private final String directory;
  private final int retained;
  private final LongSupplier clock;
  private final TreeMap<Long, GenerationRow> generations = new TreeMap<>();
  private CheckpointOpened opened;
  private CheckpointInfo lastWritten;

  /**
   * The view of checkpoint directory {@code directory}, which keeps the newest {@code retained}
   * generations ({@code millrace.checkpoint.retain}), with ages on {@code clock} (epoch
   * milliseconds).
   */
  public CheckpointsView(String directory, int retained, LongSupplier clock) {
    this.directory = directory;
    this.retained = retained;
    this.clock = clock;
  }

  /** The graph started from the checkpoint directory as {@code opened} says. */
  public synchronized void opened(CheckpointOpened opened) {
    this.opened = opened;
    Map<Long, String> passedOver = new HashMap<>();
    opened.fallbacks().forEach(f -> passedOver.putIfAbsent(f.batchTime(), f.reason()));
    for (KeptGeneration kept : opened.kept()) {
      generations.put(
          kept.batchTime(),
          new GenerationRow(
              kept.batchTime(),
              kept.committedAtMs(),
              null,
              kept.bytes(),
              EARLIER_DRIVER,
              passedOver.get(kept.batchTime())));
    }
    keepNewest();
  }

  @Override
  public synchronized void onCheckpointWritten(CheckpointInfo checkpoint) {
    lastWritten = checkpoint;
    generations.put(
        checkpoint.batchTime(),
        new GenerationRow(
            checkpoint.batchTime(),
            clock.getAsLong(),
            checkpoint.durationMs(),
            checkpoint.bytes(),
            THIS_DRIVER,
            null));
    keepNewest();
  }

  /**
   * The newest generation this driver wrote, with each state's keys and bytes in it, or empty
   * before one: what the State page shows of each state's size.
   */
  public synchronized Optional<CheckpointInfo> lastWritten() {
    return Optional.ofNullable(lastWritten);
  }

  /** As the directory does after each write: the newest {@code retained} are kept. */
  private void keepNewest() {
    while (generations.size() > retained) {
      generations.pollFirstEntry();
    }
  }

  /** The answer of {@code /api/v1/checkpoints} now. */
  public synchronized Report report() {
    List<GenerationRow> newestFirst = new ArrayList<>(generations.descendingMap().values());
    Map.Entry<Long, GenerationRow> newest = generations.lastEntry();
    return new Report(
        opened == null ? directory : opened.directory(),
        opened == null ? null : opened.intervalMs(),
        retained,
        opened == null ? null : opened.restoredBatchTime() == null ? "fresh" : "recovered",
        newest == null ? null : Math.max(0, clock.getAsLong() - newest.getValue().writtenAtMs()),
        newestFirst,
        opened == null || opened.restoredBatchTime() == null
            ? null
            : new Recovery(opened.restoredBatchTime(), opened.fallbacks()));
  }
}
