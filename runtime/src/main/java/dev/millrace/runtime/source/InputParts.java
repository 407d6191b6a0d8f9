package dev.millrace.runtime.source;

import java.util.List;

/**
 * The parts one input's batch read, as its plan knows them, for the batch page: file splits (path
 * and byte range), Kafka offset ranges, queue slices. Capped: only the first {@link #shown()} are
 * described, each in at most {@link #MAX_CHARS} characters, so a batch of ten thousand files stays
 * small.
 *
 * @param input the input stream's name, as the status names it (e.g. {@code textFileStream#0})
 * @param total how many parts the batch's plan has
 * @param shown the first parts, each described in one line, at most the cap
 */
public record InputParts(String input, int total, List<String> shown) {

  /** How many parts of each input a batch's summary describes at most. */
  public static final int SHOWN = 20;

  /** The longest description of a part; a longer one is cut, ending in an ellipsis. */
  public static final int MAX_CHARS = 200;

  /** {@code description} as a part is shown: cut to {@link #MAX_CHARS} characters. */
  public static String shortened(String description) {
    return description.length() <= MAX_CHARS
        ? description
        : description.substring(0, MAX_CHARS - 1) + "\u2026";
  }

  /** Copies {@code shown}. */
  public InputParts {
    shown = List.copyOf(shown);
  }

  /** How many parts are not described: "and N more". */
  public int more() {
    return total - shown.size();
  }
}
