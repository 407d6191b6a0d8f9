package dev.millrace.crds.validation;

import java.util.Objects;

/**
 * One thing wrong with a StreamingApp spec.
 *
 * @param field the field's full path from the document root, e.g. {@code metadata.name}, {@code
 *     spec.driver.env[2].name} or {@code spec.application.conf["millrace.checkpoint.dir"]}; empty
 *     when the document as a whole is wrong (a YAML syntax error, an empty file)
 * @param value the offending value as written, {@code <missing>} if the field is absent; empty when
 *     the field itself, not its value, is wrong (an unknown field)
 * @param rule what the value must be and, where it helps, what to write instead
 */
public record SpecViolation(String field, String value, String rule) {
  /** The {@link #value()} of a field that is absent or null. */
  static final String MISSING = "<missing>";

  /** All three are non-null; {@code field} and {@code value} may be empty. */
  public SpecViolation {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(rule, "rule");
  }

  /**
   * The violation as one line, e.g. {@code spec.restartPolicy.maxRestarts: -1 must be at least 0}.
   */
  public String message() {
    StringBuilder message = new StringBuilder();
    if (!field.isEmpty()) {
      message.append(field).append(": ");
    }
    if (!value.isEmpty()) {
      message.append(value).append(' ');
    }
    return message.append(rule).toString();
  }
}
