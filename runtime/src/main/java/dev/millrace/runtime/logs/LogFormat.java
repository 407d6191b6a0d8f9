package dev.millrace.runtime.logs;

/**
 * How a process writes its log lines: {@link #TEXT} for people reading a terminal or a file, {@link
 * #JSON} for a Kubernetes log pipeline (one JSON object per line).
 */
public enum LogFormat {
  /** {@code 2026-12-07 14:25:09.548 [main] INFO dev.millrace.runtime.driver.Driver - message}. */
  TEXT,
  /**
   * One object per line with {@code time}, {@code level}, {@code logger}, {@code thread}, {@code
   * message}, {@code exception} (the stack trace, if any) and {@code app}.
   */
  JSON
}
