package dev.millrace.runtime.source;

/**
 * What one source can tell of the input of batches whose plan is missing from the batch log, and
 * which a recovery therefore skips (see {@link InputSource#unplanned}).
 *
 * @param plan that input in a form {@link InputSource#recover} accepts among the plans it is given,
 *     so that no later batch takes it
 * @param description what is skipped, for the warning and the advice of an error: file names, a
 *     range of log records, how many records
 * @param extent whether that is nothing, exactly the input the batches had taken, or the source's
 *     best estimate
 */
public record SkippedInput(byte[] plan, String description, Extent extent) {
  /** How much of the missing batches' input a recovery skips. */
  public enum Extent {
    /** Nothing: the batches had taken nothing, or their input is taken again by later batches. */
    NOTHING,
    /** Exactly the input the batches had taken. */
    EXACT,
    /** What the source could tell: some input may be skipped that they had not taken, or not. */
    UNCERTAIN
  }
}
