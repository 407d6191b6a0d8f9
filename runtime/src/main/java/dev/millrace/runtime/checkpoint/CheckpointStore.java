package dev.millrace.runtime.checkpoint;

import static dev.millrace.runtime.checkpoint.CheckpointLayout.checkBatchTime;
import static dev.millrace.runtime.checkpoint.CheckpointLayout.timeName;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.batch.MalformedPlanException;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

  private final String directoryUri;
  private final int retainGenerations;
  private final FileSystem fs;
  private final Path root;
  private final Path generations;
  private final Path batches;
  // Null when this process writes without a lease (an executor, a tool).
  private final CheckpointLease lease;

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
    this.retainGenerations = retainGenerations;
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
    this.generations = new Path(root, CheckpointLayout.GENERATIONS);
    this.batches = new Path(root, CheckpointLayout.BATCHES);
    if (create) {
      createDirectory(root);
    }
    // Before anything else is created or read: a driver refused here leaves the directory as it
    // was.
    this.lease =
        leaseRequest == null ? null : CheckpointLease.acquire(fs, root, directoryUri, leaseRequest);
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
              + user()
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

  /** The qualified URI of the checkpoint directory. */
  public String uri() {
    return root.toString();
  }

  /**
   * The file system holding the checkpoint directory, for the sources that keep files of their own
   * under {@link #sourceLogDirectory}. On {@code file://} it is the raw local file system: no
   * {@code .crc} side files, and {@code hflush} hands bytes to the operating system.
   */
  public FileSystem fileSystem() {
    return fs;
  }

  /**
   * Where the source {@code sourceId} keeps its own log ({@code <root>/sources/<sourceId>}),
   * qualified on {@link #fileSystem()}. Not created here: the source creates it when it first
   * writes.
   *
   * @param sourceId letters, digits, '.', '_' and '-', stable across restarts ({@code input-0})
   */
  public Path sourceLogDirectory(String sourceId) {
    CheckpointLayout.checkFileName(sourceId);
    return new Path(new Path(root, CheckpointLayout.SOURCES), sourceId);
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
    checkBatchTime(batchTime);
    files.keySet().forEach(CheckpointLayout::checkFileName);
    checkWritable();
    Path temp = new Path(generations, CheckpointLayout.tempName(timeName(batchTime)));
    try {
      mkdirs(temp);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        writeFile(new Path(temp, file.getKey()), file.getValue());
      }
      writeFile(
          new Path(temp, CheckpointLayout.GENERATION_MANIFEST),
          GenerationManifest.describe(batchTime, files).toBytes());
      moveIntoPlace(temp, generationPath(batchTime), timeName(batchTime));
    } catch (IOException e) {
      throw writeFailure("write checkpoint generation " + batchTime, temp, e);
    }
    LOG.debug("Checkpoint generation {} committed with {} files", batchTime, files.size());
    deleteOldGenerations();
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
    checkBatchTime(batchTime);
    checkWritable();
    Path target = statePartPath(batchTime, nodeId, partition);
    Path temp = new Path(target.getParent(), CheckpointLayout.tempName(target.getName()));
    try {
      // An executor holds no lease: it must not recreate a directory that vanished either.
      if (!fs.exists(generations)) {
        throw new CheckpointVanishedException(
            "checkpoint directory "
                + directoryUri
                + " vanished while the application was running: "
                + generations
                + " is gone (deleted, moved or replaced), so state partition "
                + partition
                + " of node "
                + nodeId
                + " is not written. The driver stops with the same finding and says what to do.");
      }
      mkdirs(target.getParent());
      writeFile(temp, bytes);
      moveIntoPlace(temp, target, target.getName());
    } catch (IOException e) {
      throw writeFailure("write state partition " + partition + " of node " + nodeId, temp, e);
    }
    return new StatePart(bytes.length, GenerationManifest.crc32(bytes));
  }

  /**
   * Partition {@code partition} of state node {@code nodeId} for the generation of batch {@code
   * batchTime}, as {@link #writeStatePart} wrote it.
   *
   * @throws CheckpointException if it is missing or does not match {@code expected}
   */
  public byte[] readStatePart(long batchTime, int nodeId, int partition, StatePart expected) {
    Path path = statePartPath(batchTime, nodeId, partition);
    byte[] bytes;
    try {
      bytes = readFile(path);
    } catch (IOException e) {
      throw readFailure("state partition " + partition + " of node " + nodeId, path, e);
    }
    StatePart found = new StatePart(bytes.length, GenerationManifest.crc32(bytes));
    if (!found.equals(expected)) {
      throw new CheckpointException(
          "state partition file "
              + path
              + " is damaged: "
              + found
              + ", but generation "
              + batchTime
              + " recorded "
              + expected
              + ". Restore the checkpoint directory from a backup, or start from an empty one"
              + " (the state is then lost).");
    }
    return bytes;
  }

  /** The length and CRC32 of a state partition file. */
  public record StatePart(long length, long crc32) {}

  private Path statePartPath(long batchTime, int nodeId, int partition) {
    return new Path(
        new Path(new Path(root, CheckpointLayout.STATE_PARTS), timeName(batchTime)),
        "node-" + nodeId + "-part-" + partition);
  }

  /**
   * The newest generation whose manifest exists and whose files all match their recorded length and
   * CRC32. Each newer generation that fails is skipped with one WARN naming the bad file and why.
   *
   * @throws UnsupportedCheckpointVersionException if a generation was written by a newer Millrace
   */
  public Optional<Generation> latestValid() {
    for (GenerationDirectory candidate : generationsNewestFirst()) {
      Optional<Generation> generation = readVerified(candidate);
      if (generation.isPresent()) {
        return generation;
      }
    }
    return Optional.empty();
  }

  /**
   * Every generation {@link #latestValid} would accept, newest first, each read and verified only
   * when the iteration reaches it: a recovery that finds more wrong with one (a damaged state part)
   * falls back to the next.
   */
  public Iterable<Generation> validNewestFirst() {
    List<GenerationDirectory> candidates = generationsNewestFirst();
    return () -> candidates.stream().map(this::readVerified).flatMap(Optional::stream).iterator();
  }

  /**
   * File {@code name} of the committed generation of batch {@code batchTime}, if that generation's
   * manifest and the file verify: one file read back without reading the others.
   */
  public Optional<byte[]> readGenerationFile(long batchTime, String name) {
    Path dir = generationPath(batchTime);
    Path manifestPath = new Path(dir, CheckpointLayout.GENERATION_MANIFEST);
    Path path = new Path(dir, name);
    try {
      GenerationManifest manifest =
          GenerationManifest.fromBytes(readFile(manifestPath), manifestPath.toString());
      byte[] content = readFile(path);
      if (manifest.batchTime() == batchTime
          && manifest.files().containsKey(name)
          && manifest.mismatch(name, content).isEmpty()) {
        return Optional.of(content);
      }
      LOG.debug("{} does not match the manifest of generation {}", path, batchTime);
    } catch (IOException | MalformedFileException e) {
      LOG.debug("cannot read {} of generation {}: {}", name, batchTime, e.toString());
    }
    return Optional.empty();
  }

  /**
   * The batch time of the oldest committed generation kept: a recovery may fall back as far, so the
   * batch log must keep every batch after it.
   */
  public OptionalLong oldestGeneration() {
    List<GenerationDirectory> committed = committedNewestFirst();
    return committed.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(committed.get(committed.size() - 1).batchTime());
  }

  /** Whether any generation directory exists, valid or not. */
  public boolean hasGenerations() {
    return !generationsNewestFirst().isEmpty();
  }

  private record GenerationDirectory(long batchTime, boolean replaced, Path path) {}

  /**
   * Committed generations, newest first. A generation caught half-way through being replaced (its
   * old copy moved aside, the new one not yet moved in) is still a candidate under its aside name.
   */
  private List<GenerationDirectory> generationsNewestFirst() {
    Map<Long, GenerationDirectory> committed = new TreeMap<>();
    List<GenerationDirectory> asideOnly = new ArrayList<>();
    for (FileStatus status : list(generations)) {
      String name = status.getPath().getName();
      CheckpointLayout.generationTime(name)
          .ifPresent(t -> committed.put(t, new GenerationDirectory(t, false, status.getPath())));
      if (CheckpointLayout.isReplaced(name)) {
        CheckpointLayout.hiddenTime(name)
            .ifPresent(t -> asideOnly.add(new GenerationDirectory(t, true, status.getPath())));
      }
    }
    asideOnly.removeIf(aside -> committed.containsKey(aside.batchTime()));
    List<GenerationDirectory> all = new ArrayList<>(committed.values());
    all.addAll(asideOnly);
    all.sort(Comparator.comparingLong(GenerationDirectory::batchTime).reversed());
    return all;
  }

  /** Committed generations, newest first, without those caught half-way through replacement. */
  private List<GenerationDirectory> committedNewestFirst() {
    return generationsNewestFirst().stream().filter(g -> !g.replaced()).toList();
  }

  private Optional<Generation> readVerified(GenerationDirectory candidate) {
    Path manifestPath = new Path(candidate.path(), CheckpointLayout.GENERATION_MANIFEST);
    GenerationManifest manifest;
    try {
      manifest = GenerationManifest.fromBytes(readFile(manifestPath), manifestPath.toString());
    } catch (FileNotFoundException e) {
      return skip(candidate, manifestPath, "missing, so the generation was never committed");
    } catch (IOException e) {
      return skip(candidate, manifestPath, "unreadable: " + e);
    } catch (MalformedFileException e) {
      return skip(candidate, manifestPath, "malformed: " + e.getMessage());
    }
    if (manifest.batchTime() != candidate.batchTime()) {
      return skip(
          candidate,
          manifestPath,
          "for batch time " + manifest.batchTime() + ", not " + candidate.batchTime());
    }
    Map<String, byte[]> files = new TreeMap<>();
    for (String name : manifest.files().keySet()) {
      Path path = new Path(candidate.path(), name);
      byte[] content;
      try {
        content = readFile(path);
      } catch (FileNotFoundException e) {
        return skip(candidate, path, "missing");
      } catch (IOException e) {
        return skip(candidate, path, "unreadable: " + e);
      }
      Optional<String> mismatch = manifest.mismatch(name, content);
      if (mismatch.isPresent()) {
        return skip(candidate, path, "corrupt: " + mismatch.get());
      }
      files.put(name, content);
    }
    if (candidate.replaced()) {
      LOG.warn(
          "Checkpoint generation {} was being replaced when the writer stopped; using its old copy {}",
          candidate.batchTime(),
          candidate.path());
    }
    return Optional.of(new Generation(candidate.batchTime(), files));
  }

  private static Optional<Generation> skip(
      GenerationDirectory candidate, Path badFile, String why) {
    LOG.warn(
        "Skipping checkpoint generation {}: {} is {}. Trying the next older generation.",
        candidate.batchTime(),
        badFile,
        why);
    return Optional.empty();
  }

  /**
   * Housekeeping after a committed write. A failure here does not undo the write: it is logged and
   * retried after the next one.
   */
  private void deleteOldGenerations() {
    List<GenerationDirectory> committed = committedNewestFirst();
    if (committed.isEmpty()) {
      return;
    }
    for (GenerationDirectory old :
        committed.subList(Math.min(retainGenerations, committed.size()), committed.size())) {
      deleteQuietly(old.path());
    }
    long newest = committed.get(0).batchTime();
    for (FileStatus status : list(generations)) {
      OptionalLong hidden = CheckpointLayout.hiddenTime(status.getPath().getName());
      if (hidden.isPresent() && hidden.getAsLong() < newest) {
        deleteQuietly(status.getPath());
      }
    }
    long oldestKept = committed.get(Math.min(retainGenerations, committed.size()) - 1).batchTime();
    Path parts = new Path(root, CheckpointLayout.STATE_PARTS);
    for (FileStatus status : listIfThere(parts)) {
      OptionalLong time = CheckpointLayout.generationTime(status.getPath().getName());
      if (time.isPresent() && time.getAsLong() < oldestKept) {
        deleteQuietly(status.getPath());
      }
    }
  }

  private void deleteQuietly(Path path) {
    try {
      fs.delete(path, true);
      LOG.debug("Deleted old checkpoint data {}", path);
    } catch (IOException e) {
      LOG.warn(
          "Could not delete old checkpoint data {} ({}); will retry after the next write",
          path,
          e.toString());
    }
  }

  private Path generationPath(long batchTime) {
    return new Path(generations, timeName(batchTime));
  }

  // ---- batch log

  /**
   * Records the plan of a batch before it runs, atomically; a recovery re-runs the batch with
   * exactly this plan unless it was {@linkplain #markDone marked done}.
   */
  public void recordPlan(BatchPlan plan) {
    long batchTime = plan.batchTime();
    checkBatchTime(batchTime);
    checkWritable();
    Path temp = new Path(batches, CheckpointLayout.tempName(timeName(batchTime)));
    try {
      writeFile(temp, plan.toLogBytes());
      moveIntoPlace(temp, planPath(batchTime), timeName(batchTime));
    } catch (IOException e) {
      throw writeFailure("write the plan of batch " + batchTime, temp, e);
    }
  }

  /** Marks a batch done: its outputs are committed and it must not be re-run. */
  public void markDone(long batchTime) {
    checkBatchTime(batchTime);
    checkWritable();
    Path done = donePath(batchTime);
    try {
      fs.create(done, true).close();
    } catch (IOException e) {
      throw writeFailure("write the done mark of batch " + batchTime, done, e);
    }
  }

  /**
   * Every batch with a recorded plan, done or not, in time order: a recovery recomputes the state
   * of the done ones and re-runs the others.
   *
   * @throws CorruptBatchPlanException if a plan file is truncated or corrupt
   */
  public ReplayLog loggedBatches() {
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
  public ReplayLog replayLogAfter(long batchTime) {
    BatchLog log = readBatchLog();
    List<BatchPlan> logged = new ArrayList<>();
    TreeSet<Long> done = new TreeSet<>();
    List<DamagedPlan> damaged = new ArrayList<>();
    for (long time : log.planned().tailSet(batchTime, false)) {
      Path path = planPath(time);
      try {
        logged.add(BatchPlan.fromLogBytes(time, readFile(path)));
        if (log.done().contains(time)) {
          done.add(time);
        }
      } catch (MalformedPlanException e) {
        damaged.add(new DamagedPlan(path.toString(), time, e.getMessage()));
      } catch (IOException e) {
        throw readFailure("the plan of batch " + time, path, e);
      }
    }
    TreeSet<Long> doneWithoutPlan = new TreeSet<>(log.done().tailSet(batchTime, false));
    doneWithoutPlan.removeAll(log.planned());
    return new ReplayLog(logged, done, damaged, doneWithoutPlan);
  }

  /** Whether the batch log holds any plan, without reading one. */
  public boolean hasLoggedBatches() {
    return !readBatchLog().planned().isEmpty();
  }

  /**
   * Deletes the done mark of batch {@code batchTime}: its plan is gone and the batch will be
   * planned again, which must run its outputs.
   */
  public void forgetDoneMark(long batchTime) {
    checkWritable();
    Path done = donePath(batchTime);
    try {
      fs.delete(done, false);
    } catch (IOException e) {
      throw writeFailure("delete the done mark of batch " + batchTime, done, e);
    }
  }

  /** Where the plan of batch {@code batchTime} is (or would be) logged, for messages. */
  public String planLocation(long batchTime) {
    return planPath(batchTime).toString();
  }

  /**
   * Deletes the plans and done marks of batches up to and including {@code batchTime}; call it once
   * a generation covering them is committed, so the log stays bounded.
   */
  public void forgetBatchesUpTo(long batchTime) {
    checkWritable();
    List<Path> plansAndTemps = new ArrayList<>();
    List<Path> doneMarks = new ArrayList<>();
    for (FileStatus status : list(batches)) {
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
        throw writeFailure("delete the batch log entry", path, e);
      }
    }
  }

  private record BatchLog(TreeSet<Long> planned, TreeSet<Long> done) {}

  private BatchLog readBatchLog() {
    BatchLog log = new BatchLog(new TreeSet<>(), new TreeSet<>());
    for (FileStatus status : list(batches)) {
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

  // ---- app manifest

  /** Writes the app manifest atomically, replacing an existing one. */
  public void writeAppManifest(AppManifest manifest) {
    checkWritable();
    Path temp = new Path(root, CheckpointLayout.tempName(CheckpointLayout.APP_MANIFEST));
    try {
      writeFile(temp, manifest.toBytes());
      moveIntoPlace(temp, appManifestPath(), CheckpointLayout.APP_MANIFEST);
    } catch (IOException e) {
      throw writeFailure("write the app manifest", temp, e);
    }
  }

  /**
   * The app manifest, or empty if none was written yet.
   *
   * @throws UnsupportedCheckpointVersionException if it was written by a newer Millrace
   * @throws CheckpointException if it is unreadable or malformed
   */
  public Optional<AppManifest> readAppManifest() {
    Path path = appManifestPath();
    try {
      return Optional.of(AppManifest.fromBytes(readFile(path), path.toString()));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw readFailure("the app manifest", path, e);
    } catch (MalformedFileException e) {
      throw new CheckpointException(
          "App manifest "
              + path
              + " is malformed ("
              + e.getMessage()
              + "). Restore it from a backup, or start from an empty checkpoint directory (the"
              + " application's state is then lost).");
    }
  }

  private Path appManifestPath() {
    return new Path(root, CheckpointLayout.APP_MANIFEST);
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
    if (lease != null) {
      lease.checkHeld();
    }
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

  /**
   * Renames {@code temp} to {@code target}. An existing target is moved aside first and deleted
   * last, so some complete copy exists at every moment.
   */
  private void moveIntoPlace(Path temp, Path target, String what) throws IOException {
    if (fs.exists(target)) {
      Path aside = new Path(target.getParent(), CheckpointLayout.replacedName(what));
      rename(target, aside);
      rename(temp, target);
      fs.delete(aside, true);
    } else {
      rename(temp, target);
    }
  }

  private void rename(Path from, Path to) throws IOException {
    // FileSystem.rename reports most failures by returning false rather than throwing.
    if (!fs.rename(from, to)) {
      throw new IOException("renaming " + from + " to " + to + " failed");
    }
  }

  private void mkdirs(Path dir) throws IOException {
    if (!fs.mkdirs(dir)) {
      throw new IOException("mkdirs " + dir + " returned false");
    }
  }

  private void writeFile(Path path, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(path, false)) {
      out.write(bytes);
    }
  }

  private byte[] readFile(Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  private FileStatus[] listIfThere(Path dir) {
    try {
      return fs.exists(dir) ? fs.listStatus(dir) : new FileStatus[0];
    } catch (IOException e) {
      throw readFailure("the listing", dir, e);
    }
  }

  private FileStatus[] list(Path dir) {
    try {
      return fs.listStatus(dir);
    } catch (IOException e) {
      throw readFailure("the listing", dir, e);
    }
  }

  private CheckpointException writeFailure(String action, Path path, IOException e) {
    Optional<CheckpointException> lost = leaseLost(e);
    if (lost.isPresent()) {
      return lost.get();
    }
    return new CheckpointException(
        "Could not "
            + action
            + " at "
            + path
            + ": "
            + e
            + ". Check that "
            + user()
            + " may write to the checkpoint directory "
            + directoryUri
            + ", that it has space, and that its file system is reachable.",
        e);
  }

  private CheckpointException readFailure(String what, Path path, IOException e) {
    Optional<CheckpointException> lost = leaseLost(e);
    if (lost.isPresent()) {
      return lost.get();
    }
    return new CheckpointException(
        "Could not read "
            + what
            + " at "
            + path
            + ": "
            + e
            + ". Check that "
            + user()
            + " may read the checkpoint directory "
            + directoryUri
            + " and that its file system is reachable.",
        e);
  }

  /**
   * Whether an I/O failure of a driver's store is the lease lost: a write that passed its check can
   * still fail because the directory was deleted or taken over meanwhile. Said as such (exit 74 or
   * 75) rather than as a plain I/O error, after which a supervisor would restart the driver on an
   * empty directory.
   */
  private Optional<CheckpointException> leaseLost(IOException failure) {
    if (lease == null) {
      return Optional.empty();
    }
    try {
      lease.checkHeld();
      return Optional.empty();
    } catch (CheckpointInUseException | CheckpointVanishedException lost) {
      return Optional.of(lost);
    } catch (CheckpointException unknown) {
      failure.addSuppressed(unknown);
      return Optional.empty();
    }
  }

  private static String user() {
    try {
      return "user '" + UserGroupInformation.getCurrentUser().getShortUserName() + "'";
    } catch (IOException e) {
      return "user '" + System.getProperty("user.name") + "'";
    }
  }
}
