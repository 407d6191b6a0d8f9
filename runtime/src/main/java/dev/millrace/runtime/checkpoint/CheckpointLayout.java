package dev.millrace.runtime.checkpoint;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names inside a checkpoint directory. Batch times are zero-padded to 20 digits so that names sort
 * in time order; hidden names (leading dot) are work in progress that readers never trust:
 *
 * <pre>
 * manifest                                  the app manifest
 * generations/00000000000000001000/         a committed generation (its _MANIFEST lists its files)
 * generations/.tmp-&lt;time&gt;-&lt;random&gt;/        a generation being written
 * generations/.replaced-&lt;time&gt;-&lt;random&gt;/   the old generation while it is being replaced
 * batches/00000000000000001000.plan         a recorded batch plan
 * batches/00000000000000001000.done         the batch's outputs are committed
 * sources/input-0/00000000000000004096.wal  a write-ahead log segment of source input-0 whose first
 *                                           record has sequence number 4096
 * lease/00000000000000000007                the lease file of epoch 7: who took the lease, when, why
 *                                           (the highest epoch holds the lease)
 * lease/00000000000000000007.renewed-&lt;ms&gt;-&lt;token&gt;
 *                                           when the holder of epoch 7 last renewed it; the
 *                                           random token tells its holder from a driver that got
 *                                           epoch 7 of a directory deleted and made again
 * lease/00000000000000000007.released       the holder of epoch 7 stopped and let the lease go
 * state-parts/00000000000000001000/node-3-part-5
 *                                           partition 5 of state node 3 for the generation of
 *                                           batch 1000, written by the executor owning it
 * ui-history/batches-&lt;run&gt;-&lt;sequence&gt;.jsonl
 *                                           the web UI's batch history, not part of any
 *                                           generation (see dev.millrace.runtime.history.HistoryStore)
 * </pre>
 *
 * <p>Source logs are written by their sources, in place and append-only, not through temporary
 * names: a segment's blocks carry their own CRCs, and a torn last block is what a crash leaves (see
 * {@code dev.millrace.runtime.source.WalSegmentFormat}).
 *
 * <p>Pure: no I/O.
 */
final class CheckpointLayout {
  static final String GENERATIONS = "generations";
  static final String BATCHES = "batches";
  static final String SOURCES = "sources";
  static final String STATE_PARTS = "state-parts";
  static final String APP_MANIFEST = "manifest";
  static final String GENERATION_MANIFEST = "_MANIFEST";
  static final String PLAN_SUFFIX = ".plan";
  static final String DONE_SUFFIX = ".done";
  static final String LEASE = "lease";

  private static final String TEMP_PREFIX = ".tmp-";
  private static final String REPLACED_PREFIX = ".replaced-";
  private static final Pattern TIME = Pattern.compile("\\d{20}");
  private static final Pattern BATCH_FILE = Pattern.compile("(\\d{20})(\\.plan|\\.done)");
  private static final Pattern HIDDEN = Pattern.compile("\\.(tmp|replaced)-(\\d{20})-[0-9a-f]+");
  private static final String RENEWED_INFIX = ".renewed-";
  private static final String RELEASED_SUFFIX = ".released";
  private static final Pattern LEASE_FILE =
      Pattern.compile("(\\d{20})(?:\\.renewed-(\\d{1,18})-([0-9a-f]{1,16})|(\\.released))?");
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private CheckpointLayout() {}

  static String timeName(long batchTime) {
    return String.format("%020d", batchTime);
  }

  static String tempName(String what) {
    return TEMP_PREFIX + what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  static String replacedName(String what) {
    return REPLACED_PREFIX + what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  /** The batch time of a committed generation directory's name. */
  static OptionalLong generationTime(String name) {
    return TIME.matcher(name).matches()
        ? OptionalLong.of(Long.parseLong(name))
        : OptionalLong.empty();
  }

  /** The batch time of a hidden temporary or replaced name. */
  static OptionalLong hiddenTime(String name) {
    Matcher m = HIDDEN.matcher(name);
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(2))) : OptionalLong.empty();
  }

  static boolean isReplaced(String name) {
    return name.startsWith(REPLACED_PREFIX);
  }

  /** The batch time of a {@code .plan} or {@code .done} name. */
  static OptionalLong batchFileTime(String name) {
    Matcher m = BATCH_FILE.matcher(name);
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** The name of the lease file of {@code epoch}. */
  static String leaseName(long epoch) {
    return timeName(epoch);
  }

  /**
   * The name of the marker saying that the holder of {@code epoch} whose lease has {@code token}
   * renewed it at {@code millis}.
   */
  static String renewedName(long epoch, long millis, long token) {
    return timeName(epoch) + RENEWED_INFIX + millis + "-" + Long.toHexString(token);
  }

  /** The name of the marker saying the holder of {@code epoch} released it. */
  static String releasedName(long epoch) {
    return timeName(epoch) + RELEASED_SUFFIX;
  }

  /** A name in the lease directory, parsed; anything else there is ignored. */
  sealed interface LeaseFile {
    long epoch();

    /** The lease file of an epoch, naming its holder. */
    record Holder(long epoch) implements LeaseFile {}

    /** A renewal marker. */
    record Renewed(long epoch, long atMillis, long token) implements LeaseFile {}

    /** A release marker. */
    record Released(long epoch) implements LeaseFile {}
  }

  /** What {@code name} is in the lease directory, if it is one of its names. */
  static Optional<LeaseFile> leaseFile(String name) {
    Matcher m = LEASE_FILE.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    long epoch = Long.parseLong(m.group(1));
    if (m.group(2) != null) {
      return Optional.of(
          new LeaseFile.Renewed(
              epoch, Long.parseLong(m.group(2)), Long.parseUnsignedLong(m.group(3), 16)));
    }
    if (m.group(4) != null) {
      return Optional.of(new LeaseFile.Released(epoch));
    }
    return Optional.of(new LeaseFile.Holder(epoch));
  }

  static void checkBatchTime(long batchTime) {
    if (batchTime < 0) {
      throw new IllegalArgumentException(
          "batch time " + batchTime + " is negative; pass epoch milliseconds");
    }
  }

  static void checkFileName(String name) {
    if (!FILE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "checkpoint file name '"
              + name
              + "' is not allowed: use letters, digits, '.', '_' and '-', starting with a letter"
              + " or digit ("
              + GENERATION_MANIFEST
              + " and hidden names are reserved)");
    }
  }
}
