package dev.millrace.runtime.dataset;

/** A dataset that knows how many records it holds once prepared, without computing them again. */
public interface Sized {

  /** The number of records; valid once the dataset is prepared. */
  long size();
}
