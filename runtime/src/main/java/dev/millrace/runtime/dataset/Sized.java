package dev.millrace.runtime.dataset;

/** A dataset that knows how many records it holds. */
public interface Sized {

  /** The number of records. */
  long size();
}
