package dev.millrace.runtime.backend.local;

/**
 * Another {@code millrace run} holds the run directory: two supervisors would start two drivers.
 */
public final class AlreadySupervisedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AlreadySupervisedException(String message) {
    super(message);
  }
}
