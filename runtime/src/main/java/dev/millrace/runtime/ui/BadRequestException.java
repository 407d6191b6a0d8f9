package dev.millrace.runtime.ui;

/**
 * A request the REST API refuses: {@code parameter} names the query or path parameter at fault, the
 * message says what it accepts. Answered as 400 (or {@code code}) with a JSON error.
 */
final class BadRequestException extends RuntimeException {
  private final int code;
  private final String parameter;

  BadRequestException(int code, String parameter, String message) {
    super(message);
    this.code = code;
    this.parameter = parameter;
  }

  int code() {
    return code;
  }

  String parameter() {
    return parameter;
  }
}
