package dev.millrace.runtime.backpressure;

import dev.millrace.runtime.dataset.Dataset;

/**
 * An input stream as its {@link RateController} sees it: what it planned for a batch, and the
 * source to hold to a rate. The stream graph's input nodes are these; the interface lives here so
 * that backpressure stays below the streams and sources it paces.
 */
public interface PacedInput {

  /** The stream's name, for the log. */
  String name();

  /** The dataset this input planned for the batch at {@code time}, or null if none is held. */
  Dataset<?> planned(long time);

  /** Holds the stream's source to {@code limit} from now on (see {@code InputSource}). */
  void updateRateLimit(RateLimit limit);
}
