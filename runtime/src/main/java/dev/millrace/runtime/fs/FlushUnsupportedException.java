package dev.millrace.runtime.fs;

import java.io.IOException;

/**
 * A file system cannot flush a file that is still open, so it cannot hold a file that readers must
 * see, and that must outlive this process, while it is being written: S3 and other object stores
 * publish a file only when it is closed. Thrown by {@link FileAccess#createFlushable}, which leaves
 * no file behind; the caller knows what the file was for and says where it can go instead.
 */
public final class FlushUnsupportedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String scheme;

  FlushUnsupportedException(String file, String scheme) {
    super(
        "the file system of "
            + file
            + " ("
            + scheme
            + ") cannot flush a file that is still open; use a local or hdfs:// location");
    this.scheme = scheme;
  }

  /** The URI scheme of the file system that refused, such as {@code s3a}. */
  public String scheme() {
    return scheme;
  }
}
