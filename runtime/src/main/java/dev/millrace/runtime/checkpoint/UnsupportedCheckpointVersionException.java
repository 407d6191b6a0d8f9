package dev.millrace.runtime.checkpoint;

/** A checkpoint file was written by a newer Millrace in a format this build cannot read. */
public final class UnsupportedCheckpointVersionException extends CheckpointException {
  private static final long serialVersionUID = 1L;

  UnsupportedCheckpointVersionException(String path, int foundVersion, int supportedVersion) {
    super(
        path
            + " has checkpoint format version "
            + foundVersion
            + ", but this build of Millrace reads format version "
            + supportedVersion
            + " and older: the checkpoint was written by a newer Millrace. Run that newer version,"
            + " or start from an empty checkpoint directory (the application's state is then lost).");
  }
}
