package dev.millrace.runtime.source;

import dev.millrace.runtime.checkpoint.CheckpointDamagedException;

/**
 * The write-ahead log of a socket source lacks records that were acknowledged: a segment was
 * damaged or deleted after it was written. The message names the segment, the offset and the
 * records, and what to do.
 */
public final class CorruptWriteAheadLogException extends CheckpointDamagedException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with an actionable message. */
  public CorruptWriteAheadLogException(String message) {
    super(message);
  }
}
