package dev.millrace.runtime.batch;

/**
 * Bytes that are not a {@link BatchPlan} as the batch log stores it: truncated, damaged, or written
 * in another format. The batch log reports the file as a damaged plan instead of replaying it.
 */
public final class MalformedPlanException extends Exception {
  /** Says what is wrong with the bytes. */
  public MalformedPlanException(String reason) {
    super(reason);
  }
}
