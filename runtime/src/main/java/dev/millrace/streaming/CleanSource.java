package dev.millrace.streaming;

import java.util.Objects;

/**
 * What a {@link StreamingContext#textFileStream(String, CleanSource) textFileStream} does with the
 * files it has read: leave them ({@link #off()}), delete them ({@link #delete()}) or move them to
 * another directory ({@link #archiveTo(String)}), as Spark's {@code cleanSource} option does.
 *
 * <p>A file is removed only once a committed checkpoint covers the batch that read it, and one that
 * a recovery could still fall back to: after a driver failure, the recovery replays every batch
 * since the checkpoint it restores and reads their files again, so removing a file as soon as its
 * batch completed would make the recovery fail. Files are removed on a thread of the stream's own,
 * after each checkpoint; with {@code millrace.checkpoint.retain} generations kept, a file stays
 * about that many checkpoint intervals. Without a checkpoint directory nothing is removed.
 *
 * <p>Only files the stream read are removed: never those in the directory when it first started,
 * never hidden names, and never a file changed since its batch took it (a different size or
 * modification time: a new file under an old name), which is left with a warning.
 *
 * <p>Every removal is one operation of the file system ({@code delete}, or {@code rename} into the
 * archive directory), on local paths and any Hadoop file system alike; a failure is logged and
 * tried again after the next checkpoint.
 */
public sealed interface CleanSource
    permits CleanSource.Off, CleanSource.Delete, CleanSource.Archive {

  /** Files stay where they are: remove them yourself, only up to a batch a checkpoint covers. */
  static CleanSource off() {
    return new Off();
  }

  /** Files the stream has read are deleted once a checkpoint covers their batch. */
  static CleanSource delete() {
    return new Delete();
  }

  /**
   * Files the stream has read are moved into {@code directory} once a checkpoint covers their
   * batch, under their own name; a file whose name is taken there already is left where it is, with
   * a warning, never overwritten. {@code directory} must be on the same file system as the input
   * directory (a move is a rename) and must not be the input directory itself; a subdirectory of it
   * is fine, as the stream reads no subdirectory. It is created when needed.
   *
   * @param directory a local path or a URI of the input directory's Hadoop file system
   */
  static CleanSource archiveTo(String directory) {
    return new Archive(directory);
  }

  /** Leave files: the default. */
  record Off() implements CleanSource {}

  /** Delete files once covered. */
  record Delete() implements CleanSource {}

  /**
   * Move files into {@code directory} once covered.
   *
   * @param directory where files are moved, under their own names
   */
  record Archive(String directory) implements CleanSource {
    /** Rejects a null or blank directory. */
    public Archive {
      Objects.requireNonNull(directory, "directory");
      if (directory.isBlank()) {
        throw new IllegalArgumentException(
            "CleanSource.archiveTo needs a directory to move read files into, got '"
                + directory
                + "'; use CleanSource.delete() to delete them instead");
      }
    }
  }
}
