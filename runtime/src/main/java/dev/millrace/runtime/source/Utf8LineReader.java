package dev.millrace.runtime.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Reads UTF-8 text lines from a byte stream, keeping track of byte offsets so a file can be read in
 * byte ranges.
 *
 * <p>A line ends at {@code '\n'}; a {@code '\r'} just before it is dropped, and a last line without
 * a newline is still a line. Lines are cut on bytes before decoding, which is safe because the byte
 * {@code '\n'} never occurs inside a multi-byte UTF-8 sequence. Malformed bytes decode to U+FFFD.
 *
 * <p>A reader may bound the bytes of a line: a longer line (counting a {@code '\r'} before its
 * {@code '\n'}, not the {@code '\n'}) is not returned but skipped as it streams past, so no more
 * than the bound is held in memory however long the line is, and its length is handed to the
 * reader's listener. Not thread-safe: owned by the one thread reading the stream.
 */
final class Utf8LineReader {
  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private int bufferPos;
  private int bufferLimit;
  private long position;
  private final int maxLineBytes;
  private final LongConsumer overlongLines;
  private byte[] line = new byte[256];
  private int lineLength;
  private long overlongLength; // bytes of the line being skipped; 0 while the line fits

  /** Reads {@code in}, whose next byte is at offset {@code startOffset} of the whole stream. */
  Utf8LineReader(InputStream in, long startOffset) {
    this(in, startOffset, Integer.MAX_VALUE, length -> {});
  }

  /**
   * Reads {@code in} as above, skipping every line longer than {@code maxLineBytes} and handing its
   * length in bytes to {@code overlongLines}.
   */
  Utf8LineReader(InputStream in, long startOffset, int maxLineBytes, LongConsumer overlongLines) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("a line may hold at least 1 byte, got " + maxLineBytes);
    }
    this.in = in;
    this.position = startOffset;
    this.maxLineBytes = maxLineBytes;
    this.overlongLines = overlongLines;
  }

  /** The offset of the next byte to be read: where the next line starts. */
  long position() {
    return position;
  }

  /** The next line without its terminator that fits the bound, or {@code null} at end of stream. */
  String readLine() throws IOException {
    while (true) {
      lineLength = 0;
      overlongLength = 0;
      if (!scanLine(true)) {
        return null;
      }
      if (overlongLength == 0) {
        break;
      }
      overlongLines.accept(overlongLength);
    }
    int length = lineLength;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  /** Skips through the next {@code '\n'}; returns whether anything was left to skip. */
  boolean skipLine() throws IOException {
    return scanLine(false);
  }

  /** Consumes bytes through the next '\n' or to end of stream, keeping them if asked to. */
  private boolean scanLine(boolean keep) throws IOException {
    boolean consumedAny = false;
    while (true) {
      if (bufferPos == bufferLimit) {
        int n = in.read(buffer);
        if (n < 0) {
          return consumedAny;
        }
        bufferPos = 0;
        bufferLimit = n;
        continue;
      }
      consumedAny = true;
      int newline = indexOfNewline();
      int end = newline < 0 ? bufferLimit : newline;
      if (keep) {
        append(end - bufferPos);
      }
      int consumed = (newline < 0 ? end : newline + 1) - bufferPos;
      position += consumed;
      bufferPos += consumed;
      if (newline >= 0) {
        return true;
      }
    }
  }

  private int indexOfNewline() {
    for (int i = bufferPos; i < bufferLimit; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void append(int count) {
    if (overlongLength > 0) {
      overlongLength += count;
      return;
    }
    if ((long) lineLength + count > maxLineBytes) {
      overlongLength = (long) lineLength + count;
      lineLength = 0;
      return;
    }
    if (lineLength + count > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
    }
    System.arraycopy(buffer, bufferPos, line, lineLength, count);
    lineLength += count;
  }
}
