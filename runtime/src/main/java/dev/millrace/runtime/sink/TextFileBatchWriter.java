package dev.millrace.runtime.sink;

import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.fs.FileAccess;
import dev.millrace.runtime.task.TaskFailedException;
import dev.millrace.runtime.task.TaskRunner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
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
 *
 * <p>Where a directory rename is not atomic (S3, whose renames copy object by object), a reader can
 * see a batch's directory before all its part files are there; the {@code _SUCCESS} marker is then
 * written only after the move, so that on every file system a directory with the marker is
 * complete.
 *
 * <p>The prefix is a local path or a URI of any Hadoop file system ({@code
 * hdfs://nn:8020/out/counts}, {@code file:///out/counts}); local paths and {@code file:} URIs are
 * written with {@code java.nio}, other schemes through their Hadoop file system, whose rename is
 * atomic on HDFS but refuses an existing target: the earlier output is moved aside first there too.
 * On object stores such as S3, whose renames copy, a batch's directory does not appear atomically.
 */
public final class TextFileBatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TextFileBatchWriter.class);
  private static final String SUCCESS_MARKER = "_SUCCESS";

  private final String prefix;
  private final String suffix;
  private final FileAccess fs;

  /**
   * A writer to {@code prefix-T[.suffix]}; {@code suffix} may be null or empty for none. A URI
   * prefix is opened with Hadoop's default configuration.
   */
  public TextFileBatchWriter(String prefix, String suffix) {
    this(prefix, suffix, (Configuration) null);
  }

  /**
   * A writer to {@code prefix-T[.suffix]}, {@code prefix} being a local path or a Hadoop file
   * system URI opened with {@code hadoop} (null for Hadoop's defaults).
   *
   * @throws IllegalArgumentException if {@code prefix} is empty, not a valid path or URI, or names
   *     a scheme no Hadoop file system is known for
   */
  public TextFileBatchWriter(String prefix, String suffix, Configuration hadoop) {
    this(
        prefix,
        suffix,
        FileAccess.forLocation(
            checkPrefix(prefix),
            hadoop == null ? StreamingOptions.hadoopConfiguration() : hadoop,
            "the saveAsTextFiles prefix"));
  }

  /** A writer to {@code prefix-T[.suffix]} through {@code fs}, which serves {@code prefix}. */
  TextFileBatchWriter(String prefix, String suffix, FileAccess fs) {
    this.fs = fs;
    this.prefix = fs.normalize(checkPrefix(prefix));
    this.suffix = suffix;
  }

  private static String checkPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException(
          "saveAsTextFiles needs a path prefix such as /data/out/counts, got '" + prefix + "'");
    }
    return prefix;
  }

  /**
   * The directory the batch of {@code time} is written to: {@code prefix-time[.suffix]}, a local
   * path or a URI as the prefix is.
   */
  public static String outputPath(String prefix, String suffix, long time) {
    String name = prefix + "-" + time;
    return suffix == null || suffix.isEmpty() ? name : name + "." + suffix;
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
    String target = fs.absolute(outputPath(prefix, suffix, time));
    String parent = fs.parent(target);
    String name = fs.name(target);
    String temp = fs.resolve(parent, "." + name + ".tmp-" + UUID.randomUUID());
    try {
      fs.createDirectories(parent);
      deleteLeftovers(parent, name);
      fs.createDirectory(temp);
      int partitions = data.numPartitions();
      runner.runTasks(partitions, p -> writePartition(data, p, fs.resolve(temp, partFileName(p))));
      // A rename that copies would copy the marker along with the first parts ('_' sorts before
      // 'p'): written after the move, it still tells readers the directory is complete.
      boolean markAfterMove = !fs.renamesDirectoriesAtomically();
      if (!markAfterMove) {
        fs.create(fs.resolve(temp, SUCCESS_MARKER)).close();
      }
      moveIntoPlace(temp, target);
      if (markAfterMove) {
        fs.create(fs.resolve(target, SUCCESS_MARKER)).close();
      }
    } catch (IOException e) {
      deleteQuietly(temp);
      throw failure(e, target);
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

  private void writePartition(Dataset<?> data, int partition, String file) {
    // A reporting encoder, as Files.newBufferedWriter uses: a string that is not valid UTF-16
    // fails the write instead of being written with replacement characters.
    try (BufferedWriter out =
        new BufferedWriter(
            new OutputStreamWriter(fs.create(file), StandardCharsets.UTF_8.newEncoder()))) {
      data.compute(
          partition,
          record -> {
            try {
              out.write(String.valueOf(record));
              out.write('\n');
            } catch (IOException e) {
              throw failure(e, file);
            }
          });
    } catch (IOException e) {
      throw failure(e, file);
    }
  }

  private void moveIntoPlace(String temp, String target) throws IOException {
    if (!fs.exists(target)) {
      fs.rename(temp, target);
      return;
    }
    String old = fs.resolve(fs.parent(target), "." + fs.name(target) + ".old-" + UUID.randomUUID());
    fs.rename(target, old);
    try {
      fs.rename(temp, target);
    } catch (IOException e) {
      // Put the earlier output back so a failed rerun does not lose what the batch wrote before.
      try {
        fs.rename(old, target);
      } catch (IOException restoreFailure) {
        e.addSuppressed(restoreFailure);
      }
      throw e;
    }
    fs.deleteRecursively(old);
    LOG.info("replaced earlier output {} with the output of the batch run again", target);
  }

  /** Temp and set-aside directories of an attempt at this batch that died before cleaning up. */
  private void deleteLeftovers(String parent, String name) throws IOException {
    String tempPrefix = "." + name + ".tmp-";
    String oldPrefix = "." + name + ".old-";
    for (String sibling : fs.names(parent)) {
      if (sibling.startsWith(tempPrefix) || sibling.startsWith(oldPrefix)) {
        String leftover = fs.resolve(parent, sibling);
        LOG.info("deleting {} left by an earlier attempt that did not complete", leftover);
        fs.deleteRecursively(leftover);
      }
    }
  }

  private void deleteQuietly(String root) {
    try {
      fs.deleteRecursively(root);
    } catch (IOException e) {
      LOG.warn("could not delete incomplete output {}: {}; delete it by hand", root, e.toString());
    }
  }

  private WriteFailure failure(IOException cause, String path) {
    return new WriteFailure(cause, path, fs.parent(path), fs.advice(path));
  }

  /** The file system refused a write or a move; distinct from a failure computing the data. */
  private static final class WriteFailure extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    WriteFailure(IOException cause, String path, String parent, String advice) {
      super(
          "cannot write text output "
              + path
              + ": "
              + cause
              + "; check that "
              + parent
              + " is writable by this process and its file system has free space"
              + advice,
          cause);
    }
  }
}
