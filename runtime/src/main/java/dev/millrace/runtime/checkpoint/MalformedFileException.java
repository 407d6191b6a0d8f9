package dev.millrace.runtime.checkpoint;

/**
 * The bytes of a checkpoint file do not decode. Carries only the reason; the store adds the path
 * and decides whether to fall back (generations) or to refuse (batch plans, app manifest).
 */
final class MalformedFileException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedFileException(String reason) {
    super(reason);
  }
}
