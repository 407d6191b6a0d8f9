package dev.millrace.runtime.source;

import dev.millrace.streaming.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.OptionalLong;

/**
 * A {@link Source} of the engine's own (the queue stream, the file stream) that tells {@link
 * SourceInput} more than the public interface lets an application's source tell: in terms of the
 * engine's recovery, which an application's source has no part in.
 *
 * @param <T> record type
 * @param <P> the source's plan part
 */
public interface EngineSource<T, P> extends Source<T, P> {

  /**
   * The status, in place of one {@link SourceInput} builds from {@link Source#health()}: the
   * engine's own sources report fields an application's source has no words for (bytes taken, up to
   * which batch input may be removed). Cheap and never blocking, as {@link InputSource#status}.
   */
  SourceStatus status();

  /**
   * Whether a batch keeps each part's records once read, so that a second reader in the same
   * process (another output, another shuffle) does not read the part again: for input whose reading
   * costs more than holding it (files). By default false: each reader reads the part.
   */
  default boolean keepsReadParts() {
    return false;
  }

  /**
   * The records of {@code part} in a list a batch may keep: for a source that {@linkplain
   * #keepsReadParts keeps read parts}. By default a copy of what {@link #read} gives; a source
   * whose reading builds a list anyway hands that over, so the batch does not hold its records
   * twice.
   */
  default List<T> readAll(P part) {
    List<T> records = new ArrayList<>();
    read(part).forEachRemaining(records::add);
    return records;
  }

  /**
   * Every part of a batch's {@code plan} has been read or counted, here or in an executor, and held
   * {@code records} records in all: called once per batch (replays too), on the thread of the last
   * count.
   */
  default void planRead(List<P> plan, long records) {}

  /** What one part of a plan is called in messages, e.g. {@code split}; by default {@code part}. */
  default String partName() {
    return "part";
  }

  /** As {@link InputSource#inputRemovableUpTo()}. */
  default OptionalLong inputRemovableUpTo() {
    return OptionalLong.empty();
  }

  /**
   * What the batches from {@code firstTime} to {@code lastTime} had planned, although the batch log
   * holds no plan for them (see {@link InputSource#unplanned}), or null for {@link SourceInput}'s
   * answer for any source: the batches logged after them continue where their own plans start.
   *
   * @param position the position in the checkpoint the recovery restores
   * @param plansSince the plans logged after that checkpoint, by batch time
   */
  default Unplanned<P> unplanned(
      long firstTime, long lastTime, byte[] position, NavigableMap<Long, List<P>> plansSince) {
    return null;
  }

  /**
   * Whether {@code plan}, from the batch log, is one a build of this source logged before the
   * source was a {@link Source} ({@link #decodeEarlierPlan} reads it), rather than one {@link
   * SourceInput} wrote: its plans start with a format byte (1) and a part count below 2^24, so
   * their first bytes are {@code 01 00}. By default none is.
   */
  default boolean isEarlierPlan(byte[] plan) {
    return false;
  }

  /**
   * A plan that a build of this source logged before the source was a {@link Source}, in the form
   * it had then: a recovery after an upgrade reads it again.
   *
   * @throws IllegalArgumentException if {@code plan} is not one
   */
  default List<P> decodeEarlierPlan(byte[] plan) {
    throw new IllegalArgumentException(
        "a plan of source '" + name() + "' is in no format this build reads");
  }

  /**
   * What {@link EngineSource#unplanned} skips.
   *
   * @param skipped the parts a recovery passes to {@link Source#recover} among the plans since its
   *     checkpoint, in place of the missing ones, so that no later batch plans that input again
   * @param description what is skipped, for the warning and the advice of an error
   * @param extent whether that is nothing, exactly the missing batches' input, or an estimate
   */
  record Unplanned<P>(List<P> skipped, String description, SkippedInput.Extent extent) {}
}
