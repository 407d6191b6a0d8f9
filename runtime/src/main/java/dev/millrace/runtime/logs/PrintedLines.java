package dev.millrace.runtime.logs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.Level;

/**
 * What a process prints ({@code System.out}, {@code System.err}: a program's {@code println}, a
 * stack trace it prints, an uncaught exception) as log events, a line each, in a process that logs
 * into files: so it lands in the rolled log with the log lines, bounded by the same limits. Each
 * event carries the {@link #PRINTED} marker, which the default configuration writes as printed,
 * with no prefix.
 */
final class PrintedLines extends OutputStream {
  /** The marker of a printed line. */
  static final Marker PRINTED = MarkerFactory.getMarker("PRINTED");

  private final Logger logger;
  private final Level level;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  PrintedLines(Logger logger, Level level) {
    this.logger = logger;
    this.level = level;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      emit();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    int start = offset;
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] == '\n') {
        line.write(bytes, start, i - start);
        emit();
        start = i + 1;
      }
    }
    line.write(bytes, start, offset + length - start);
  }

  /**
   * Logs what was printed without a line end, which is otherwise held until the end comes: a
   * PrintStream flushes after every write, mid-line too, and a line split there would be two.
   */
  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      emit();
    }
  }

  private void emit() {
    int size = line.size();
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    // A Windows line end printed by a library would leave a '\r' at the end of the line.
    if (size > 0 && text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    logger.atLevel(level).addMarker(PRINTED).log(text);
  }
}
