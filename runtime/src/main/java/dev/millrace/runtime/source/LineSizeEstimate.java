package dev.millrace.runtime.source;

/**
 * The average size of a line in a file stream's files, learned from every batch read. Before the
 * first line it is 1 byte: every line holds at least its newline or one character, so a file has no
 * more lines than bytes and a budget computed with it is never overrun by guesswork.
 *
 * <p>Observed on the threads that read batches, read on the generator thread.
 */
final class LineSizeEstimate {
  private long bytes; // guarded by this
  private long lines; // guarded by this

  /** Takes in a batch of files of {@code bytes} in all that held {@code lines} lines. */
  synchronized void observe(long bytes, long lines) {
    this.bytes += bytes;
    this.lines += lines;
  }

  /** Bytes per line of every file read so far, or 1 before any line. */
  synchronized double bytesPerLine() {
    return lines == 0 ? 1 : (double) bytes / lines;
  }
}
