package dev.millrace.runtime.source;

import dev.millrace.runtime.fs.FileAccess;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the files of a text file stream that a committed checkpoint covers: deletes them, or
 * moves them into an archive directory under their own names, refusing to overwrite one there. A
 * file whose size or modification time differs from when its batch took it is a new file under an
 * old name, and is left with a warning.
 *
 * <p>Works on a daemon thread of its own, {@code millrace-clean-<stream>}, started by the first
 * request, so that removing many files from a remote file system never delays a batch. Only the
 * newest request waits: a newer checkpoint covers every file an older one did. A failure is logged
 * and the file tried again with the next request, since the files stay in the later checkpoints'
 * positions while they are in the directory.
 */
final class InputCleaner {
  private static final Logger LOG = LoggerFactory.getLogger(InputCleaner.class);
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final FileAccess fs;
  private final String directory;
  private final String archive; // null: delete
  private final String streamName;

  private final Object lock = new Object();
  private Request pending; // guarded by lock
  private boolean closed; // guarded by lock
  private Thread thread; // guarded by lock

  // Cleaner thread only: the names already warned about, so each is warned about once.
  private final Set<String> warned = new HashSet<>();

  private record Request(long batchTime, List<ListedFile> files) {}

  /**
   * A cleaner of {@code directory} that deletes covered files ({@code archive} null) or moves them
   * into {@code archive}, on the same file system.
   */
  InputCleaner(FileAccess fs, String directory, String archive, String streamName) {
    this.fs = fs;
    this.directory = directory;
    this.archive = archive;
    this.streamName = streamName;
  }

  /**
   * Removes {@code files}, taken by batches up to {@code batchTime}, which a committed checkpoint
   * covers, soon, on the cleaner's thread; ignored once closed.
   */
  void covered(long batchTime, List<ListedFile> files) {
    synchronized (lock) {
      if (closed) {
        LOG.debug(
            "text file stream '{}' is stopped: the files covered up to batch {} are removed after"
                + " the next start's first checkpoint",
            streamName,
            batchTime);
        return;
      }
      pending = new Request(batchTime, List.copyOf(files));
      if (thread == null) {
        thread = new Thread(this::run, "millrace-clean-" + streamName);
        thread.setDaemon(true);
        thread.start();
      }
      lock.notifyAll();
    }
  }

  /** Finishes the requests made so far, waiting up to 5 s; later requests are ignored. */
  void close() {
    Thread running;
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
      running = thread;
    }
    if (running == null) {
      return;
    }
    try {
      running.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      Request request;
      synchronized (lock) {
        while (pending == null && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            // Nobody but close() has a reason to stop this thread; it sets closed first.
          }
        }
        if (pending == null) {
          return;
        }
        request = pending;
        pending = null;
      }
      remove(request);
    }
  }

  private void remove(Request request) {
    Map<String, FileAccess.Entry> present = new HashMap<>();
    try {
      for (FileAccess.Entry entry : fs.list(directory)) {
        if (entry.regularFile()) {
          present.put(entry.name(), entry);
        }
      }
      if (archive != null) {
        fs.createDirectories(archive);
      }
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      LOG.warn(
          "text file stream '{}' cannot remove the files taken by batches up to {} from {}: {};"
              + " trying again after the next checkpoint{}",
          streamName,
          request.batchTime(),
          directory,
          e.toString(),
          fs.advice(directory));
      return;
    }
    warned.retainAll(present.keySet());
    int removed = 0;
    int left = 0;
    for (ListedFile file : request.files()) {
      FileAccess.Entry entry = present.get(file.name());
      if (entry == null) {
        continue;
      }
      if (entry.modifiedMillis() != file.modifiedMillis() || entry.size() != file.sizeBytes()) {
        left++;
        warnOnce(
            file.name(),
            "text file stream '{}' leaves {} where it is: its batch took it with {} bytes, last"
                + " modified at {}, and now it has {} bytes, last modified at {}, so it is another"
                + " file under that name that no batch has read. Give new files new names.",
            streamName,
            entry.location(),
            file.sizeBytes(),
            file.modifiedMillis(),
            entry.size(),
            entry.modifiedMillis());
        continue;
      }
      try {
        if (archive == null) {
          fs.deleteRecursively(entry.location());
        } else {
          String target = fs.resolve(archive, file.name());
          if (fs.exists(target)) {
            throw new FileAlreadyExistsException(entry.location(), target, "exists");
          }
          fs.rename(entry.location(), target);
        }
        removed++;
      } catch (FileAlreadyExistsException e) {
        left++;
        warnOnce(
            file.name(),
            "text file stream '{}' leaves {} where it is: the archive directory {} holds a file of"
                + " that name already, which it never overwrites. Move that one away (the file is"
                + " archived after the next checkpoint), or archive to an empty directory.",
            streamName,
            entry.location(),
            archive);
      } catch (NoSuchFileException e) {
        // Removed by someone else since the listing: nothing left to do.
      } catch (IOException e) {
        left++;
        warnOnce(
            file.name(),
            "text file stream '{}' cannot {} {}: {}; trying again after the next checkpoint",
            streamName,
            archive == null ? "delete" : "move into " + archive,
            entry.location(),
            e.toString());
      }
    }
    LOG.info(
        "text file stream '{}': the input of batches up to {} is covered by a checkpoint;"
            + " {} {} files of it{}",
        streamName,
        request.batchTime(),
        archive == null ? "deleted" : "moved into " + archive,
        removed,
        left == 0 ? "" : ", " + left + " left in place (see the warnings)");
  }

  private void warnOnce(String name, String format, Object... args) {
    if (warned.add(name)) {
      LOG.warn(format, args);
    } else {
      LOG.debug(format, args);
    }
  }
}
