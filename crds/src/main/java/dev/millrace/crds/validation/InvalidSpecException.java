package dev.millrace.crds.validation;

import java.util.List;
import java.util.Objects;

/**
 * A StreamingApp spec that cannot run: every violation found, not only the first, each naming the
 * field, the value and the rule.
 */
public final class InvalidSpecException extends RuntimeException {
  private final String source;
  private final List<SpecViolation> violations;

  /**
   * @param source where the spec came from: a file name, {@code <stdin>}, or a resource's
   *     namespace/name
   * @param violations what is wrong, in document order; at least one
   */
  public InvalidSpecException(String source, List<SpecViolation> violations) {
    super(message(source, violations));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an invalid spec has at least one violation");
    }
    this.source = source;
    this.violations = List.copyOf(violations);
  }

  /** Where the spec came from: a file name, {@code <stdin>}, or a resource's namespace/name. */
  public String source() {
    return source;
  }

  /** What is wrong, in document order; never empty. */
  public List<SpecViolation> violations() {
    return violations;
  }

  private static String message(String source, List<SpecViolation> violations) {
    Objects.requireNonNull(source, "source");
    StringBuilder message = new StringBuilder(source).append(" is not a valid StreamingApp:\n");
    for (SpecViolation violation : violations) {
      message.append("  ").append(violation.message()).append('\n');
    }
    return message
        .append("Fix the fields above; every field is explained in the CRD,")
        .append(" crds/streamingapps.millrace.dev-v1.yml (kubectl explain streamingapp.spec).")
        .toString();
  }
}
