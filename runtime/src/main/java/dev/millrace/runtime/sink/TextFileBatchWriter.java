package dev.millrace.runtime.sink;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.TaskFailedException;
import dev.millrace.runtime.dataset.TaskRunner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch of a stream as a directory of text files: {@code saveAsTextFiles(prefix,
 * suffix)}.
 *
 * <p>The batch of time {@code T} goes to directory {@code prefix-T}, or {@code prefix-T.suffix}
 * when a suffix is given. It holds one file per partition, {@code part-00000}, {@code part-00001},
 * …, each with its partition's records as {@code toString()} lines ending in {@code '\n'}, in
 * UTF-8, and an empty {@code _SUCCESS} marker.
 *
 * <p>A batch's directory appears complete or not at all: everything is written into a hidden
 * directory {@code .<name>.tmp-<random>} next to it and then renamed into place. When the directory
 * already exists because the batch is being run again after a failure, the old one is moved aside
 * to a hidden name, the new one moved in, and the old one deleted, so readers see either the old or
 * the new output, never a mix. Hidden leftovers of an earlier attempt at the same batch that
 * crashed mid-way are deleted first.
 */
public final class TextFileBatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TextFileBatchWriter.class);
  private static final String SUCCESS_MARKER = "_SUCCESS";

  private final String prefix;
  private final String suffix;

  /** A writer to {@code prefix-T[.suffix]}; {@code suffix} may be null or empty for none. */
  public TextFileBatchWriter(String prefix, String suffix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException(
          "saveAsTextFiles needs a path prefix such as /data/out/counts, got '" + prefix + "'");
    }
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /** The directory the batch of {@code time} is written to: {@code prefix-time[.suffix]}. */
  public static Path outputPath(String prefix, String suffix, long time) {
    String name = prefix + "-" + time;
    return Path.of(suffix == null || suffix.isEmpty() ? name : name + "." + suffix);
  }

  /**
   * Prepares {@code data}, writes each of its partitions in a parallel task on {@code runner}, and
   * moves the result into place, replacing an earlier output of the same batch.
   *
   * @throws UncheckedIOException naming the path when the file system refuses a write or a move;
   *     nothing of this attempt is left behind
   * @throws RuntimeException as thrown by computing the data (a user function or a record's {@code
   *     toString()}); nothing of this attempt is left behind
   */
  public void write(Dataset<?> data, long time, TaskRunner runner) {
    runner.prepare(List.of(data));
    Path target = outputPath(prefix, suffix, time).toAbsolutePath();
    Path parent = target.getParent();
    String name = target.getFileName().toString();
    Path temp = parent.resolve("." + name + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(parent);
      deleteLeftovers(parent, name);
      Files.createDirectory(temp);
      int partitions = data.numPartitions();
      runner.runTasks(partitions, p -> writePartition(data, p, temp.resolve(partFileName(p))));
      Files.createFile(temp.resolve(SUCCESS_MARKER));
      moveIntoPlace(temp, target);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new WriteFailure(e, target);
    } catch (TaskFailedException e) {
      deleteQuietly(temp);
      // A file system failure is reported as such; anything else is the data's own failure.
      if (e.getCause() instanceof WriteFailure io) {
        throw io;
      }
      throw e;
    } catch (RuntimeException | Error e) {
      deleteQuietly(temp);
      throw e;
    }
    LOG.debug("wrote batch {} to {}", time, target);
  }

  private static String partFileName(int p) {
    return String.format("part-%05d", p);
  }

  private static void writePartition(Dataset<?> data, int partition, Path file) {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      data.compute(
          partition,
          record -> {
            try {
              out.write(String.valueOf(record));
              out.write('\n');
            } catch (IOException e) {
              throw new WriteFailure(e, file);
            }
          });
    } catch (IOException e) {
      throw new WriteFailure(e, file);
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    if (!Files.exists(target)) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Put the earlier output back so a failed rerun does not lose what the batch wrote before.
      try {
        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException restoreFailure) {
        e.addSuppressed(restoreFailure);
      }
      throw e;
    }
    deleteRecursively(old);
    LOG.info("replaced earlier output {} with the output of the batch run again", target);
  }

  /** Temp and set-aside directories of an attempt at this batch that died before cleaning up. */
  private static void deleteLeftovers(Path parent, String name) throws IOException {
    String tempPrefix = "." + name + ".tmp-";
    String oldPrefix = "." + name + ".old-";
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(
            parent,
            p -> {
              String n = p.getFileName().toString();
              return n.startsWith(tempPrefix) || n.startsWith(oldPrefix);
            })) {
      for (Path leftover : siblings) {
        LOG.info("deleting {} left by an earlier attempt that did not complete", leftover);
        deleteRecursively(leftover);
      }
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void deleteQuietly(Path root) {
    try {
      deleteRecursively(root);
    } catch (IOException e) {
      LOG.warn("could not delete incomplete output {}: {}; delete it by hand", root, e.toString());
    }
  }

  /** The file system refused a write or a move; distinct from a failure computing the data. */
  private static final class WriteFailure extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    WriteFailure(IOException cause, Path path) {
      super(
          "cannot write text output "
              + path
              + ": "
              + cause
              + "; check that "
              + path.getParent()
              + " is writable by this process and its file system has free space",
          cause);
    }
  }
}
