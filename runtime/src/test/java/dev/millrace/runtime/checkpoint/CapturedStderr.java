package dev.millrace.runtime.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is written to {@code System.err} while open: the tests' logging (log4j2-test.xml)
 * writes there, so tests can see that a WARN was logged and what it named.
 */
public final class CapturedStderr implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  public CapturedStderr() {
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  public String text() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
