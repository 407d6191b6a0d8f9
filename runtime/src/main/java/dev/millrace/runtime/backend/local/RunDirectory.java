package dev.millrace.runtime.backend.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files in an application's run directory that say a {@code millrace run} is under way: the
 * lock ({@code run.lock}) that lets one run at a time supervise the application, the pids of the
 * supervisor ({@code supervisor.pid}) and of its current driver ({@code driver.pid}), and the
 * addresses the drivers publish ({@code driver-<attempt>.address}). Its own class so where each
 * file lives, and how a run takes over what a crashed one left, is written once.
 */
final class RunDirectory {
  private static final String DRIVER_PID = "driver.pid";
  private static final Pattern DRIVER_ADDRESS = Pattern.compile("driver-\\d+\\.address");

  private final Path path;

  RunDirectory(Path path) {
    this.path = path;
  }

  /**
   * Locks {@code run.lock} for the application {@code appName}. A run that ends deletes the file
   * while it holds its lock, so a run that opened the file before may lock one that is no longer
   * there: it takes the lock only if the path still leads to the file it opened, else it tries
   * again. (The file is compared by identity, never opened a second time: closing any descriptor of
   * a file drops this process's lock on it.)
   *
   * @throws AlreadySupervisedException if another run holds the lock
   */
  FileChannel lock(String appName) throws IOException {
    Files.createDirectories(path);
    while (true) {
      try {
        Files.createFile(lockFile());
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Left by an earlier run, or being used by another.
      }
      // The file's identity before it is opened: if the path is replaced meanwhile, the check
      // after locking sees a different file and tries again.
      Object before = fileKey(lockFile());
      if (before == null) {
        continue;
      }
      FileChannel channel =
          FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // held by another LocalRun in this JVM
      }
      if (lock == null) {
        channel.close();
        throw new AlreadySupervisedException(
            "another 'millrace run' is supervising "
                + appName
                + " from "
                + path
                + "; stop it first (Ctrl-C in its terminal, or kill the pid in "
                + supervisorPidFile()
                + "), or give this run another --run-dir");
      }
      if (isLockFile(before)) {
        return channel;
      }
      channel.close();
    }
  }

  /** Records this process as the run's supervisor. */
  void writeSupervisorPid() throws IOException {
    Files.writeString(supervisorPidFile(), ProcessHandle.current().pid() + "\n");
  }

  /** Records {@code pid} as the run's current driver, atomically. */
  void writeDriverPid(long pid) throws IOException {
    Path temp = path.resolve(".driver.pid.tmp");
    Files.writeString(temp, pid + "\n", StandardCharsets.UTF_8);
    Files.move(temp, driverPidFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The pid of the driver a run recorded last, if the file holds one. */
  Optional<Long> driverPid() {
    try {
      return Files.exists(driverPidFile())
          ? Optional.of(Long.parseLong(Files.readString(driverPidFile()).trim()))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes the files that say a run is under way, once every process of this one has ended: the
   * pid files, the drivers' addresses and the lock (still held, so no other run takes it midway). A
   * run that crashes leaves them; the next one checks the pids and takes the lock over.
   */
  void removeRunFiles() throws IOException {
    Files.deleteIfExists(driverPidFile());
    Files.deleteIfExists(supervisorPidFile());
    try (Stream<Path> files = Files.list(path)) {
      for (Path address :
          files
              .filter(p -> DRIVER_ADDRESS.matcher(p.getFileName().toString()).matches())
              .toList()) {
        Files.deleteIfExists(address);
      }
    }
    Files.deleteIfExists(lockFile());
  }

  /** Whether {@code run.lock} is the file whose identity is {@code key}. */
  private boolean isLockFile(Object key) throws IOException {
    return key.equals(fileKey(lockFile()));
  }

  /** The identity of {@code file} (device and inode), or null if there is no file. */
  private static Object fileKey(Path file) throws IOException {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
          .fileKey();
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  private Path lockFile() {
    return path.resolve("run.lock");
  }

  private Path supervisorPidFile() {
    return path.resolve("supervisor.pid");
  }

  private Path driverPidFile() {
    return path.resolve(DRIVER_PID);
  }
}
