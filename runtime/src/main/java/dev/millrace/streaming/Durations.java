package dev.millrace.streaming;

/**
 * Factories for {@link Duration}: {@code Durations.seconds(1)}, {@code
 * Durations.milliseconds(200)}.
 */
public final class Durations {
  private Durations() {}

  /** A duration of {@code ms} milliseconds. */
  public static Duration milliseconds(long ms) {
    return new Duration(ms);
  }

  /** A duration of {@code s} seconds. */
  public static Duration seconds(long s) {
    return new Duration(Math.multiplyExact(s, 1000L));
  }

  /** A duration of {@code m} minutes. */
  public static Duration minutes(long m) {
    return new Duration(Math.multiplyExact(m, 60_000L));
  }

  /**
   * Parses a human-written duration: {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}, or a bare
   * number of milliseconds.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return milliseconds(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      } else if (t.endsWith("s")) {
        return seconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      } else if (t.endsWith("m")) {
        return minutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      } else if (t.endsWith("h")) {
        return minutes(
            Math.multiplyExact(Long.parseLong(t.substring(0, t.length() - 1).trim()), 60));
      }
      return milliseconds(Long.parseLong(t));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigurationException(
          "cannot read duration '"
              + text
              + "': write a whole number followed by ms, s, m or h,"
              + " for example 500ms or 2s");
    }
  }
}
