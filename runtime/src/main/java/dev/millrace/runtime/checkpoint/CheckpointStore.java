package dev.millrace.runtime.checkpoint;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.fs.FileAccess;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of one application's checkpoint directory, on any Hadoop {@link FileSystem}: {@code
 * file://} (plain local paths too), {@code hdfs://}, {@code s3a://}.
 *
 * <ul>
 *   <li><b>Generations</b>: sets of named files written for a batch time, each committed by a
 *       {@code _MANIFEST} with every file's length and CRC32. {@link #latestValid()} returns the
 *       newest generation that verifies, falling back past corrupt ones; the newest {@code
 *       retainGenerations} are kept.
 *   <li><b>Batch log</b>: a plan recorded before each batch runs and a done mark after its outputs
 *       are committed; {@link #replayLogAfter} holds the batches a recovery replays.
 *   <li><b>App manifest</b>: what the directory belongs to, written once.
 *   <li><b>Source logs</b>: a directory per source that cannot re-read its input, which the source
 *       writes itself ({@link #sourceLogDirectory}).
 * </ul>
 *
 * <p>Every write goes to a hidden temporary name first and is renamed into place (atomic on HDFS),
 * so readers never see half a file. On S3, whose renames copy object by object, a file still
 * appears whole but a generation's directory does not: one left half-moved by a crash fails the
 * manifest's check and {@link #latestValid()} falls back past it. The layout is described in {@link
 * CheckpointLayout}.
 *
 * <p>One writer per directory: a driver opens it {@linkplain #held held}, under the directory's
 * {@link CheckpointLease}, and every write first checks that lease, so a driver that another took
 * over ({@link CheckpointInUseException}) or whose directory vanished ({@link
 * CheckpointVanishedException}) stops instead of writing; nothing here recreates {@code
 * generations/} or {@code batches/} of a directory that vanished. Failures are reported as {@link
 * CheckpointException}s naming the path and what to check.
 */
public final class CheckpointStore implements AutoCloseable {
  private final String directoryUri;
  private final FileSystem fs;
  private final Path root;
  private final Path generations;
  private final Path batches;
  private final FileAccess sourceFiles;
  private final String sourcesLocation;
  // Null when this process writes without a lease (an executor, a tool).
  private final CheckpointLease lease;
  private final CheckpointFiles files;
  private final Generations generationFiles;
  private final StatePartFiles stateParts;
  private final BatchLog batchLog;
  private final AppManifestFile appManifest;

  /**
   * Opens (creating if needed) the checkpoint directory, without a lease: for tools and tests that
   * know no driver runs on it.
   *
   * @param directoryUri {@code file:///...}, {@code hdfs://...}, {@code s3a://...}, or a local path
   * @param conf Hadoop configuration passed to the file system (e.g. s3a credentials)
   * @param retainGenerations how many of the newest generations to keep, at least 1
   * @throws CheckpointException if the directory cannot be opened or created
   */
  public CheckpointStore(String directoryUri, Configuration conf, int retainGenerations) {
    this(directoryUri, conf, retainGenerations, true, null);
  }

  /**
   * Opens (creating if needed) the checkpoint directory for the one driver that writes it: takes
   * the directory's {@linkplain CheckpointLease lease} first and checks it before every write, so
   * that a driver another one took over, or whose directory vanished, writes nothing more. {@link
   * #close()} releases it.
   *
   * @throws CheckpointInUseException if another driver holds the lease
   * @throws CheckpointException if the directory cannot be opened or created
   */
  public static CheckpointStore held(
      String directoryUri,
      Configuration conf,
      int retainGenerations,
      CheckpointLease.Request lease) {
    return new CheckpointStore(directoryUri, conf, retainGenerations, true, lease);
  }

  /**
   * Opens the checkpoint directory a driver writes, creating nothing: for an executor, which reads
   * it and writes its state parts into it, and must not recreate a directory that vanished.
   *
   * @throws CheckpointException if the file system cannot be opened
   */
  public static CheckpointStore existing(
      String directoryUri, Configuration conf, int retainGenerations) {
    return new CheckpointStore(directoryUri, conf, retainGenerations, false, null);
  }

  private CheckpointStore(
      String directoryUri,
      Configuration conf,
      int retainGenerations,
      boolean create,
      CheckpointLease.Request leaseRequest) {
    if (retainGenerations < 1) {
      throw new IllegalArgumentException(
          "retainGenerations is " + retainGenerations + "; keep at least 1 generation");
    }
    this.directoryUri = directoryUri;
    Path directory = directoryPath(directoryUri);
    try {
      FileSystem opened = directory.getFileSystem(conf);
      // Our manifests and plan headers carry CRC32s already; the checksummed local file system
      // would add a .crc file next to every file and fail reads of a file edited by hand.
      this.fs = opened instanceof LocalFileSystem local ? local.getRaw() : opened;
      this.root = fs.makeQualified(directory);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(
          "Cannot open checkpoint directory "
              + directoryUri
              + ": "
              + e
              + ". Check the URI's scheme (file://, hdfs://, s3a:// or a local path), that the file"
              + " system is reachable, and that the Hadoop configuration names it.",
          e);
    }
    Path sources = new Path(root, CheckpointLayout.SOURCES);
    // FileAccess names a local file by its plain path (a file: URI printed by a Path is not
    // escaped, so it cannot be parsed back), and a Hadoop one by the URI a Path prints.
    if ("file".equals(sources.toUri().getScheme())) {
      this.sourceFiles = FileAccess.local();
      this.sourcesLocation = java.nio.file.Path.of(sources.toUri()).toString();
    } else {
      this.sourcesLocation = sources.toString();
      this.sourceFiles = FileAccess.forLocation(sourcesLocation, conf, "checkpoint directory");
    }
    this.generations = new Path(root, CheckpointLayout.GENERATIONS);
    this.batches = new Path(root, CheckpointLayout.BATCHES);
    if (create) {
      createDirectory(root);
    }
    // Before anything else is created or read: a driver refused here leaves the directory as it
    // was.
    this.lease =
        leaseRequest == null ? null : CheckpointLease.acquire(fs, root, directoryUri, leaseRequest);
    this.files = new CheckpointFiles(directoryUri, fs, lease);
    this.generationFiles = new Generations(files, root, retainGenerations);
    this.stateParts = new StatePartFiles(files, directoryUri, root);
    this.batchLog = new BatchLog(files, root);
    this.appManifest = new AppManifestFile(files, root);
    if (create) {
      try {
        createDirectory(generations);
        createDirectory(batches);
      } catch (CheckpointException e) {
        close();
        throw e;
      }
    }
  }

  private void createDirectory(Path dir) {
    try {
      if (!fs.mkdirs(dir)) {
        throw new IOException("mkdirs returned false");
      }
    } catch (IOException e) {
      throw new CheckpointException(
          "Cannot create checkpoint directory "
              + dir
              + " (for "
              + directoryUri
              + "): "
              + e.getMessage()
              + ". Check that no file has that name, that "
              + CheckpointFiles.user()
              + " may write to its parent, and that the file system is reachable with the"
              + " Hadoop configuration given (for s3a://, the endpoint, region and credentials"
              + " in millrace.hadoop.fs.s3a.* settings).",
          e);
    }
  }

  /**
   * Moves checkpoint directory {@code directoryUri} aside, to a sibling named {@code
   * <name>.set-aside-<millis>}, so that the next start begins without state and nothing of the old
   * one is lost: a stateless upgrade.
   *
   * @return where it went, or empty if there was no such directory
   * @throws CheckpointException if the file system refuses the rename
   */
  public static Optional<String> setAside(String directoryUri, Configuration conf, Instant now) {
    Path from = directoryPath(directoryUri);
    try {
      FileSystem fs = from.getFileSystem(conf);
      if (!fs.exists(from)) {
        return Optional.empty();
      }
      Path to = new Path(from.getParent(), from.getName() + ".set-aside-" + now.toEpochMilli());
      if (!fs.rename(from, to)) {
        throw new IOException("rename to " + to + " returned false");
      }
      return Optional.of(fs.makeQualified(to).toString());
    } catch (IOException e) {
      throw new CheckpointException(
          "cannot move checkpoint directory "
              + directoryUri
              + " aside for a stateless start: "
              + e.getMessage()
              + ". Check that the parent directory is writable, or move it aside by hand.",
          e);
    }
  }

  /**
   * Whether the checkpoint directory {@code directoryUri} exists.
   *
   * @throws CheckpointException if its file system cannot be reached
   */
  public static boolean exists(String directoryUri, Configuration conf) {
    Path directory = directoryPath(directoryUri);
    try {
      return directory.getFileSystem(conf).exists(directory);
    } catch (IOException e) {
      throw new CheckpointException(
          "cannot tell whether checkpoint directory "
              + directoryUri
              + " exists: "
              + e.getMessage()
              + ". Check that its file system is reachable.",
          e);
    }
  }

  /**
   * Whether {@code driver} holds the lease of checkpoint directory {@code directoryUri} now, as its
   * newest lease epoch says: for what a driver writes beside its checkpoint (the UI's batch
   * history), which must stop once another driver took the directory over, as the checkpoint does.
   *
   * @throws CheckpointException if the lease cannot be read
   */
  public static boolean isHeldBy(String directoryUri, Configuration conf, LeaseClaimant driver) {
    Path directory = directoryPath(directoryUri);
    try {
      FileSystem fs = directory.getFileSystem(conf);
      return CheckpointLease.newestHolder(fs, new Path(directory, CheckpointLayout.LEASE))
          .map(driver::equals)
          .orElse(false);
    } catch (IOException e) {
      throw new CheckpointException(
          "cannot read the lease of checkpoint directory "
              + directoryUri
              + ": "
              + e.getMessage()
              + ". Check that its file system is reachable.",
          e);
    }
  }

  /** The qualified URI of the checkpoint directory. */
  public String uri() {
    return root.toString();
  }

  /**
   * The checkpoint directory's file system, for the sources that keep files of their own under
   * {@link #sourceLogDirectory}: on {@code file://} the local one through {@code java.nio} (no
   * {@code .crc} side files, as for the store's own files).
   */
  public FileAccess sourceFiles() {
    return sourceFiles;
  }

  /**
   * Where the source {@code sourceId} keeps its own log ({@code <root>/sources/<sourceId>}), a
   * location of {@link #sourceFiles()}. Not created here: the source creates it when it first
   * writes.
   *
   * @param sourceId letters, digits, '.', '_' and '-', stable across restarts ({@code input-0})
   */
  public String sourceLogDirectory(String sourceId) {
    CheckpointLayout.checkFileName(sourceId);
    return sourceFiles.resolve(sourcesLocation, sourceId);
  }

  // ---- generations

  /**
   * Writes and commits the generation for {@code batchTime}, replacing one already written for that
   * time, then deletes generations beyond the newest {@code retainGenerations} and stale temporary
   * directories.
   *
   * @param files file name (letters, digits, '.', '_', '-') to contents
   */
  public void writeGeneration(long batchTime, Map<String, byte[]> files) {
    generationFiles.writeGeneration(batchTime, files);
  }

  /**
   * Writes partition {@code partition} of state node {@code nodeId} for the generation of batch
   * {@code batchTime}: what the executor owning the partition writes when the driver checkpoints,
   * before the driver commits the generation that names it by length and CRC32. Replaces a part
   * already written for the same generation. Parts older than every kept generation are deleted
   * with them.
   *
   * @return its length and CRC32
   * @throws CheckpointException if it cannot be written
   */
  public StatePart writeStatePart(long batchTime, int nodeId, int partition, byte[] bytes) {
    return stateParts.writeStatePart(batchTime, nodeId, partition, bytes);
  }

  /**
   * Partition {@code partition} of state node {@code nodeId} for the generation of batch {@code
   * batchTime}, as {@link #writeStatePart} wrote it.
   *
   * @throws CheckpointException if it is missing or does not match {@code expected}
   */
  public byte[] readStatePart(long batchTime, int nodeId, int partition, StatePart expected) {
    return stateParts.readStatePart(batchTime, nodeId, partition, expected);
  }

  /** The length and CRC32 of a state partition file. */
  public record StatePart(long length, long crc32) {}

  /**
   * The newest generation whose manifest exists and whose files all match their recorded length and
   * CRC32. Each newer generation that fails is skipped with one WARN naming the bad file and why.
   *
   * @throws UnsupportedCheckpointVersionException if a generation was written by a newer Millrace
   */
  public Optional<Generation> latestValid() {
    return generationFiles.latestValid();
  }

  /**
   * Every generation {@link #latestValid} would accept, newest first, each read and verified only
   * when the iteration reaches it: a recovery that finds more wrong with one (a damaged state part)
   * falls back to the next.
   */
  public Iterable<Generation> validNewestFirst() {
    return generationFiles.validNewestFirst(skipped -> {});
  }

  /** As {@link #validNewestFirst()}, telling {@code skipped} of each generation passed over. */
  public Iterable<Generation> validNewestFirst(Consumer<SkippedGeneration> skipped) {
    return generationFiles.validNewestFirst(skipped);
  }

  /**
   * The committed generations, newest first, as their manifests describe them, without reading
   * their files: cheap enough for a driver's start.
   */
  public List<KeptGeneration> keptGenerations() {
    return generationFiles.kept();
  }

  /**
   * File {@code name} of the committed generation of batch {@code batchTime}, if that generation's
   * manifest and the file verify: one file read back without reading the others.
   */
  public Optional<byte[]> readGenerationFile(long batchTime, String name) {
    return generationFiles.readGenerationFile(batchTime, name);
  }

  /**
   * The batch time of the oldest committed generation kept: a recovery may fall back as far, so the
   * batch log must keep every batch after it.
   */
  public OptionalLong oldestGeneration() {
    return generationFiles.oldestGeneration();
  }

  /** Whether any generation directory exists, valid or not. */
  public boolean hasGenerations() {
    return generationFiles.hasGenerations();
  }

  // ---- batch log

  /**
   * Records the plan of a batch before it runs, atomically; a recovery re-runs the batch with
   * exactly this plan unless it was {@linkplain #markDone marked done}.
   */
  public void recordPlan(BatchPlan plan) {
    batchLog.recordPlan(plan);
  }

  /** Marks a batch done: its outputs are committed and it must not be re-run. */
  public void markDone(long batchTime) {
    batchLog.markDone(batchTime);
  }

  /**
   * Every batch with a recorded plan, done or not, in time order: a recovery recomputes the state
   * of the done ones and re-runs the others.
   *
   * @throws CorruptBatchPlanException if a plan file is truncated or corrupt
   */
  public ReplayLog loggedBatches() {
    return batchLog.loggedBatches();
  }

  /**
   * The batch log after {@code batchTime}, the time of the generation a recovery restores: the
   * plans of later batches, those that do not verify, and the done marks whose plan is gone. Plans
   * at or before {@code batchTime} are not read: that generation covers their batches.
   *
   * @throws CheckpointException if a plan cannot be read (an I/O error, which a retry may cure)
   */
  public ReplayLog replayLogAfter(long batchTime) {
    return batchLog.replayLogAfter(batchTime);
  }

  /** Whether the batch log holds any plan, without reading one. */
  public boolean hasLoggedBatches() {
    return batchLog.hasLoggedBatches();
  }

  /**
   * Deletes the done mark of batch {@code batchTime}: its plan is gone and the batch will be
   * planned again, which must run its outputs.
   */
  public void forgetDoneMark(long batchTime) {
    batchLog.forgetDoneMark(batchTime);
  }

  /** Where the plan of batch {@code batchTime} is (or would be) logged, for messages. */
  public String planLocation(long batchTime) {
    return batchLog.planLocation(batchTime);
  }

  /**
   * Deletes the plans and done marks of batches up to and including {@code batchTime}; call it once
   * a generation covering them is committed, so the log stays bounded.
   */
  public void forgetBatchesUpTo(long batchTime) {
    batchLog.forgetBatchesUpTo(batchTime);
  }

  // ---- app manifest

  /** Writes the app manifest atomically, replacing an existing one. */
  public void writeAppManifest(AppManifest manifest) {
    appManifest.writeAppManifest(manifest);
  }

  /**
   * The app manifest, or empty if none was written yet.
   *
   * @throws UnsupportedCheckpointVersionException if it was written by a newer Millrace
   * @throws CheckpointException if it is unreadable or malformed
   */
  public Optional<AppManifest> readAppManifest() {
    return appManifest.readAppManifest();
  }

  // ---- lease

  /**
   * Checks, if this store is {@linkplain #held held}, that this driver still holds the lease: one
   * listing of the small lease directory. Every write calls it first; a caller about to prepare a
   * costly write may call it earlier.
   *
   * @throws CheckpointInUseException if another driver took the lease over
   * @throws CheckpointVanishedException if the directory or the lease's file is gone
   */
  public void checkWritable() {
    files.checkWritable();
  }

  /** The lease this store holds, or empty if it was opened without one. */
  public Optional<LeaseHolder> lease() {
    return lease == null ? Optional.empty() : Optional.of(lease.holder());
  }

  /** Releases the lease, if this store holds one and still holds it; never throws. */
  @Override
  public void close() {
    if (lease != null) {
      lease.close();
    }
  }

  // ---- file system

  private static Path directoryPath(String directoryUri) {
    if (directoryUri == null || directoryUri.isBlank()) {
      throw new IllegalArgumentException(
          "checkpoint directory is empty; pass a local path or a file://, hdfs:// or s3a:// URI");
    }
    try {
      Path path = new Path(directoryUri);
      return path.toUri().getScheme() == null
          ? new Path(new File(directoryUri).getAbsoluteFile().toURI())
          : path;
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(
          "Checkpoint directory '"
              + directoryUri
              + "' is not a valid path or URI ("
              + e.getMessage()
              + "). Use a local path or a file://, hdfs:// or s3a:// URI.",
          e);
    }
  }
}
