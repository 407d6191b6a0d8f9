package dev.millrace.runtime.checkpoint;

import static dev.millrace.runtime.checkpoint.CheckpointLayout.checkBatchTime;
import static dev.millrace.runtime.checkpoint.CheckpointLayout.timeName;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generations of a checkpoint directory ({@code generations/}): sets of named files written for
 * a batch time, each committed by a {@code _MANIFEST} with every file's length and CRC32, read back
 * newest valid first, the newest {@code retainGenerations} kept.
 */
final class Generations {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

  private final CheckpointFiles directory;
  private final FileSystem fs;
  private final Path root;
  private final Path generations;
  private final int retainGenerations;

  Generations(CheckpointFiles files, Path root, int retainGenerations) {
    this.directory = files;
    this.fs = files.fs();
    this.root = root;
    this.generations = new Path(root, CheckpointLayout.GENERATIONS);
    this.retainGenerations = retainGenerations;
  }

  /**
   * Writes and commits the generation for {@code batchTime}, replacing one already written for that
   * time, then deletes generations beyond the newest {@code retainGenerations} and stale temporary
   * directories.
   *
   * @param files file name (letters, digits, '.', '_', '-') to contents
   */
  void writeGeneration(long batchTime, Map<String, byte[]> files) {
    checkBatchTime(batchTime);
    files.keySet().forEach(CheckpointLayout::checkFileName);
    directory.checkWritable();
    Path temp = new Path(generations, CheckpointLayout.tempName(timeName(batchTime)));
    try {
      directory.mkdirs(temp);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        directory.writeFile(new Path(temp, file.getKey()), file.getValue());
      }
      directory.writeFile(
          new Path(temp, CheckpointLayout.GENERATION_MANIFEST),
          GenerationManifest.describe(batchTime, files).toBytes());
      directory.moveIntoPlace(temp, generationPath(batchTime), timeName(batchTime));
    } catch (IOException e) {
      throw directory.writeFailure("write checkpoint generation " + batchTime, temp, e);
    }
    LOG.debug("Checkpoint generation {} committed with {} files", batchTime, files.size());
    deleteOldGenerations();
  }

  /**
   * The newest generation whose manifest exists and whose files all match their recorded length and
   * CRC32. Each newer generation that fails is skipped with one WARN naming the bad file and why.
   *
   * @throws UnsupportedCheckpointVersionException if a generation was written by a newer Millrace
   */
  Optional<Generation> latestValid() {
    for (GenerationDirectory candidate : generationsNewestFirst()) {
      Optional<Generation> generation = readVerified(candidate, skipped -> {});
      if (generation.isPresent()) {
        return generation;
      }
    }
    return Optional.empty();
  }

  /**
   * Every generation {@link #latestValid} would accept, newest first, each read and verified only
   * when the iteration reaches it: a recovery that finds more wrong with one (a damaged state part)
   * falls back to the next. Each generation passed over goes to {@code skipped} as well as to the
   * log.
   */
  Iterable<Generation> validNewestFirst(Consumer<SkippedGeneration> skipped) {
    List<GenerationDirectory> candidates = generationsNewestFirst();
    return () ->
        candidates.stream()
            .map(candidate -> readVerified(candidate, skipped))
            .flatMap(Optional::stream)
            .iterator();
  }

  /**
   * The committed generations, newest first, as their manifests describe them: one manifest read
   * and one file status per generation, their other files unread. A generation whose manifest
   * cannot be read is left out (a recovery says why when it reaches it).
   */
  List<KeptGeneration> kept() {
    List<KeptGeneration> kept = new ArrayList<>();
    for (GenerationDirectory generation : committedNewestFirst()) {
      Path manifestPath = new Path(generation.path(), CheckpointLayout.GENERATION_MANIFEST);
      try {
        GenerationManifest manifest =
            GenerationManifest.fromBytes(directory.readFile(manifestPath), manifestPath.toString());
        long bytes =
            manifest.files().values().stream()
                .mapToLong(GenerationManifest.FileEntry::length)
                .sum();
        kept.add(
            new KeptGeneration(
                generation.batchTime(),
                fs.getFileStatus(manifestPath).getModificationTime(),
                bytes));
      } catch (IOException | MalformedFileException e) {
        LOG.debug("cannot describe generation {}: {}", generation.batchTime(), e.toString());
      }
    }
    return kept;
  }

  /**
   * File {@code name} of the committed generation of batch {@code batchTime}, if that generation's
   * manifest and the file verify: one file read back without reading the others.
   */
  Optional<byte[]> readGenerationFile(long batchTime, String name) {
    Path dir = generationPath(batchTime);
    Path manifestPath = new Path(dir, CheckpointLayout.GENERATION_MANIFEST);
    Path path = new Path(dir, name);
    try {
      GenerationManifest manifest =
          GenerationManifest.fromBytes(directory.readFile(manifestPath), manifestPath.toString());
      byte[] content = directory.readFile(path);
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
  OptionalLong oldestGeneration() {
    List<GenerationDirectory> committed = committedNewestFirst();
    return committed.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(committed.get(committed.size() - 1).batchTime());
  }

  /** Whether any generation directory exists, valid or not. */
  boolean hasGenerations() {
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
    for (FileStatus status : directory.list(generations)) {
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

  private Optional<Generation> readVerified(
      GenerationDirectory candidate, Consumer<SkippedGeneration> skipped) {
    Path manifestPath = new Path(candidate.path(), CheckpointLayout.GENERATION_MANIFEST);
    GenerationManifest manifest;
    try {
      manifest =
          GenerationManifest.fromBytes(directory.readFile(manifestPath), manifestPath.toString());
    } catch (FileNotFoundException e) {
      return skip(
          skipped, candidate, manifestPath, "missing, so the generation was never committed");
    } catch (IOException e) {
      return skip(skipped, candidate, manifestPath, "unreadable: " + e);
    } catch (MalformedFileException e) {
      return skip(skipped, candidate, manifestPath, "malformed: " + e.getMessage());
    }
    if (manifest.batchTime() != candidate.batchTime()) {
      return skip(
          skipped,
          candidate,
          manifestPath,
          "for batch time " + manifest.batchTime() + ", not " + candidate.batchTime());
    }
    Map<String, byte[]> files = new TreeMap<>();
    for (String name : manifest.files().keySet()) {
      Path path = new Path(candidate.path(), name);
      byte[] content;
      try {
        content = directory.readFile(path);
      } catch (FileNotFoundException e) {
        return skip(skipped, candidate, path, "missing");
      } catch (IOException e) {
        return skip(skipped, candidate, path, "unreadable: " + e);
      }
      Optional<String> mismatch = manifest.mismatch(name, content);
      if (mismatch.isPresent()) {
        return skip(skipped, candidate, path, "corrupt: " + mismatch.get());
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
      Consumer<SkippedGeneration> skipped,
      GenerationDirectory candidate,
      Path badFile,
      String why) {
    skipped.accept(new SkippedGeneration(candidate.batchTime(), badFile + " is " + why));
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
    for (FileStatus status : directory.list(generations)) {
      OptionalLong hidden = CheckpointLayout.hiddenTime(status.getPath().getName());
      if (hidden.isPresent() && hidden.getAsLong() < newest) {
        deleteQuietly(status.getPath());
      }
    }
    long oldestKept = committed.get(Math.min(retainGenerations, committed.size()) - 1).batchTime();
    Path parts = new Path(root, CheckpointLayout.STATE_PARTS);
    for (FileStatus status : directory.listIfThere(parts)) {
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
}
