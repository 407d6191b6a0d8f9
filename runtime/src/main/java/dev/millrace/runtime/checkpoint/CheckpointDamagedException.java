package dev.millrace.runtime.checkpoint;

/**
 * A checkpoint file that the recovery needs is damaged (its framing or CRC32 does not verify, or
 * records it must hold are gone) and nothing older can stand in for it. Every restart would meet
 * the same file, so the application stops instead; the launcher exits with the documented code for
 * it (74) and supervisors do not restart it. The message names the file and what to do.
 *
 * <p>A file that merely cannot be read (an I/O error talking to HDFS) is a plain {@link
 * CheckpointException}: a restart may cure it.
 */
public class CheckpointDamagedException extends CheckpointException {
  private static final long serialVersionUID = 1L;

  /** A damaged checkpoint described by {@code message}, which names the file and what to do. */
  public CheckpointDamagedException(String message) {
    super(message);
  }
}
