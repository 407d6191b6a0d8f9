package dev.millrace.crds;

import java.time.Duration;
import java.util.regex.Matcher;

/**
 * Durations in a spec: a whole number and a unit, {@code ms}, {@code s}, {@code m} or {@code h}.
 */
public final class SpecDurations {
  /** The OpenAPI pattern of a duration field. */
  public static final String PATTERN = "^[0-9]+(ms|s|m|h)$";

  private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);

  private SpecDurations() {}

  /**
   * Parses {@code text}, e.g. {@code 200ms}, {@code 10s}, {@code 5m}, {@code 1h}.
   *
   * @throws IllegalArgumentException if it is not a duration, or too long to count in milliseconds
   */
  public static Duration parse(String text) {
    Matcher m = text == null ? null : COMPILED.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write a whole number and a unit: 500ms, 10s, 5m, 1h");
    }
    String digits = text.trim().substring(0, text.trim().length() - m.group(1).length());
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
    }
    long millisPerUnit =
        switch (m.group(1)) {
          case "ms" -> 1L;
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          default -> 3_600_000L;
        };
    // Every duration fits in a long of milliseconds, so callers may use toMillis() and compare
    // multiples without an ArithmeticException.
    try {
      return Duration.ofMillis(Math.multiplyExact(n, millisPerUnit));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
    }
  }

  /**
   * {@code d} as a spec writes it, in the largest unit that writes it exactly: {@code 10m}, {@code
   * 4s}, {@code 1500ms}; zero is {@code 0s}.
   */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis == 0) {
      return "0s";
    } else if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    } else if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    } else if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
