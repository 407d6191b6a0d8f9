package dev.millrace.runtime.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * The app manifest of a checkpoint directory ({@code _APP}): what the directory belongs to, written
 * once and replaced atomically.
 */
final class AppManifestFile {
  private final CheckpointFiles directory;
  private final Path root;

  AppManifestFile(CheckpointFiles files, Path root) {
    this.directory = files;
    this.root = root;
  }

  /** Writes the app manifest atomically, replacing an existing one. */
  void writeAppManifest(AppManifest manifest) {
    directory.checkWritable();
    Path temp = new Path(root, CheckpointLayout.tempName(CheckpointLayout.APP_MANIFEST));
    try {
      directory.writeFile(temp, manifest.toBytes());
      directory.moveIntoPlace(temp, appManifestPath(), CheckpointLayout.APP_MANIFEST);
    } catch (IOException e) {
      throw directory.writeFailure("write the app manifest", temp, e);
    }
  }

  /**
   * The app manifest, or empty if none was written yet.
   *
   * @throws UnsupportedCheckpointVersionException if it was written by a newer Millrace
   * @throws CheckpointException if it is unreadable or malformed
   */
  Optional<AppManifest> readAppManifest() {
    Path path = appManifestPath();
    try {
      return Optional.of(AppManifest.fromBytes(directory.readFile(path), path.toString()));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw directory.readFailure("the app manifest", path, e);
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
}
