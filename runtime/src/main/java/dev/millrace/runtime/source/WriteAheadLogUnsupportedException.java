package dev.millrace.runtime.source;

import dev.millrace.streaming.ConfigurationException;

/**
 * The checkpoint directory's file system cannot hold a socket source's write-ahead log: it cannot
 * flush a file that is still open (S3 and other object stores publish a file only when it is
 * closed). A configuration error, not a crash: the same checkpoint directory fails the same way on
 * every restart, so the driver exits with the bad-configuration code and is not restarted. The
 * message names the directory and where the checkpoint can go instead.
 */
public final class WriteAheadLogUnsupportedException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  WriteAheadLogUnsupportedException(String message) {
    super(message);
  }
}
