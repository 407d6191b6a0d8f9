package dev.millrace.runtime.checkpoint;

import static dev.millrace.runtime.checkpoint.CheckpointLayout.checkBatchTime;
import static dev.millrace.runtime.checkpoint.CheckpointLayout.timeName;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The state partition files of a checkpoint directory ({@code state-parts/}): what the executor
 * owning a partition writes for a generation, which the driver's generation then names by length
 * and CRC32.
 */
final class StatePartFiles {
  private final CheckpointFiles directory;
  private final FileSystem fs;
  private final String directoryUri;
  private final Path root;
  private final Path generations;

  StatePartFiles(CheckpointFiles files, String directoryUri, Path root) {
    this.directory = files;
    this.fs = files.fs();
    this.directoryUri = directoryUri;
    this.root = root;
    this.generations = new Path(root, CheckpointLayout.GENERATIONS);
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
  CheckpointStore.StatePart writeStatePart(
      long batchTime, int nodeId, int partition, byte[] bytes) {
    checkBatchTime(batchTime);
    directory.checkWritable();
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
      directory.mkdirs(target.getParent());
      directory.writeFile(temp, bytes);
      directory.moveIntoPlace(temp, target, target.getName());
    } catch (IOException e) {
      throw directory.writeFailure(
          "write state partition " + partition + " of node " + nodeId, temp, e);
    }
    return new CheckpointStore.StatePart(bytes.length, GenerationManifest.crc32(bytes));
  }

  /**
   * Partition {@code partition} of state node {@code nodeId} for the generation of batch {@code
   * batchTime}, as {@link #writeStatePart} wrote it.
   *
   * @throws CheckpointException if it is missing or does not match {@code expected}
   */
  byte[] readStatePart(
      long batchTime, int nodeId, int partition, CheckpointStore.StatePart expected) {
    Path path = statePartPath(batchTime, nodeId, partition);
    byte[] bytes;
    try {
      bytes = directory.readFile(path);
    } catch (IOException e) {
      throw directory.readFailure("state partition " + partition + " of node " + nodeId, path, e);
    }
    CheckpointStore.StatePart found =
        new CheckpointStore.StatePart(bytes.length, GenerationManifest.crc32(bytes));
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

  private Path statePartPath(long batchTime, int nodeId, int partition) {
    return new Path(
        new Path(new Path(root, CheckpointLayout.STATE_PARTS), timeName(batchTime)),
        "node-" + nodeId + "-part-" + partition);
  }
}
