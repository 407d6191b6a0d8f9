package dev.millrace.runtime.checkpoint;

import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * The file system of one checkpoint directory as its sections use it: whole files written under a
 * hidden name and renamed into place, reads and listings, and failures that say what to check, or
 * that this driver's lease was lost; every write checks the lease first.
 */
final class CheckpointFiles {
  private final String directoryUri;
  private final FileSystem fs;
  // Null when this process writes without a lease (an executor, a tool).
  private final CheckpointLease lease;

  CheckpointFiles(String directoryUri, FileSystem fs, CheckpointLease lease) {
    this.directoryUri = directoryUri;
    this.fs = fs;
    this.lease = lease;
  }

  FileSystem fs() {
    return fs;
  }

  /**
   * Checks, if this store is {@linkplain #held held}, that this driver still holds the lease: one
   * listing of the small lease directory. Every write calls it first; a caller about to prepare a
   * costly write may call it earlier.
   *
   * @throws CheckpointInUseException if another driver took the lease over
   * @throws CheckpointVanishedException if the directory or the lease's file is gone
   */
  void checkWritable() {
    if (lease != null) {
      lease.checkHeld();
    }
  }

  /**
   * Renames {@code temp} to {@code target}. An existing target is moved aside first and deleted
   * last, so some complete copy exists at every moment.
   */
  void moveIntoPlace(Path temp, Path target, String what) throws IOException {
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

  void mkdirs(Path dir) throws IOException {
    if (!fs.mkdirs(dir)) {
      throw new IOException("mkdirs " + dir + " returned false");
    }
  }

  void writeFile(Path path, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(path, false)) {
      out.write(bytes);
    }
  }

  byte[] readFile(Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  FileStatus[] listIfThere(Path dir) {
    try {
      return fs.exists(dir) ? fs.listStatus(dir) : new FileStatus[0];
    } catch (IOException e) {
      throw readFailure("the listing", dir, e);
    }
  }

  FileStatus[] list(Path dir) {
    try {
      return fs.listStatus(dir);
    } catch (IOException e) {
      throw readFailure("the listing", dir, e);
    }
  }

  CheckpointException writeFailure(String action, Path path, IOException e) {
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

  CheckpointException readFailure(String what, Path path, IOException e) {
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
  Optional<CheckpointException> leaseLost(IOException failure) {
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

  static String user() {
    try {
      return "user '" + UserGroupInformation.getCurrentUser().getShortUserName() + "'";
    } catch (IOException e) {
      return "user '" + System.getProperty("user.name") + "'";
    }
  }
}
