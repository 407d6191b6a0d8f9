package dev.millrace.runtime.dataset;

/**
 * The running reduction of one key over a window, and in how many of the window's batches the key
 * occurs. When that count reaches zero the key has left the window and is dropped, so the
 * incremental windowed reduce never keeps keys the plain windowed reduce would not show.
 *
 * @param value the reduction of the key's values in the window
 * @param batches the number of batches in the window that hold the key
 */
public record WindowAccumulator<V>(V value, int batches) {}
