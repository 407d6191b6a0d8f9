package dev.millrace.crds;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;

/**
 * Memory sizes in a spec, in Kubernetes quantity notation: {@code 512Mi}, {@code 2Gi}, {@code 1G},
 * or plain bytes.
 */
public final class SpecMemory {
  /** The OpenAPI pattern of a memory field. */
  public static final String PATTERN = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$";

  private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);

  private SpecMemory() {}

  /**
   * The size of {@code text} in bytes, a fraction of a byte rounded up as Kubernetes does.
   *
   * @throws IllegalArgumentException if it is not a memory quantity, or more bytes than a long
   *     holds
   */
  public static long bytes(String text) {
    Matcher m = text == null ? null : COMPILED.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a memory size; write e.g. 512Mi, 2Gi or 1G");
    }
    String unit = m.group(2) == null ? "" : m.group(2);
    String number = text.trim().substring(0, text.trim().length() - unit.length());
    long factor =
        switch (unit) {
          case "Ki" -> 1L << 10;
          case "Mi" -> 1L << 20;
          case "Gi" -> 1L << 30;
          case "Ti" -> 1L << 40;
          case "k" -> 1_000L;
          case "M" -> 1_000_000L;
          case "G" -> 1_000_000_000L;
          case "T" -> 1_000_000_000_000L;
          default -> 1L;
        };
    try {
      return new BigDecimal(number)
          .multiply(BigDecimal.valueOf(factor))
          .setScale(0, RoundingMode.CEILING)
          .longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a memory size", e);
    }
  }
}
