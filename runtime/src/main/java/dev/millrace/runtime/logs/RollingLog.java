package dev.millrace.runtime.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A log file that rolls: bytes go to {@code <dir>/<name>}; once it holds {@code maxBytes} it is
 * renamed {@code <name>.00001} (then {@code .00002}, …, never reusing a number) and a new one is
 * started, and only the {@code keep} newest rolled files are kept. So a driver or executor that
 * runs for months neither fills its disk nor loses its recent logs: YARN containers and {@code
 * millrace run}'s processes log through it. A NodeManager with rolling log aggregation uploads each
 * rolled file once, by its pattern ({@link #ROLLED_PATTERN}).
 *
 * <p>A file rolls only between writes, so a log line written in one call is never split.
 */
public final class RollingLog extends OutputStream {
  /** A regular expression matching the rolled files, for YARN's rolled-logs include pattern. */
  public static final String ROLLED_PATTERN = ".*\\.log\\.[0-9]{5,}";

  private final Path dir;
  private final String name;
  private final long maxBytes;
  private final int keep;
  private final Pattern rolled;
  private OutputStream out;
  private long written;
  private long sequence;

  /**
   * Appends to {@code dir/name}, continuing the numbering of the rolled files already there.
   *
   * @throws IllegalArgumentException if {@code maxBytes} or {@code keep} is not positive
   */
  public RollingLog(Path dir, String name, long maxBytes, int keep) throws IOException {
    if (maxBytes < 1 || keep < 1) {
      throw new IllegalArgumentException(
          "a rolling log needs a positive size and count, got " + maxBytes + " bytes, " + keep);
    }
    this.dir = dir;
    this.name = name;
    this.maxBytes = maxBytes;
    this.keep = keep;
    this.rolled = Pattern.compile(Pattern.quote(name) + "\\.([0-9]{5,})");
    Files.createDirectories(dir);
    this.sequence = rolledFiles().stream().mapToLong(this::number).max().orElse(0);
    open();
  }

  private void open() throws IOException {
    Path file = dir.resolve(name);
    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    written = Files.size(file);
  }

  @Override
  public synchronized void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    if (written > 0 && written + length > maxBytes) {
      roll();
    }
    out.write(bytes, offset, length);
    written += length;
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  private void roll() throws IOException {
    out.close();
    sequence++;
    Files.move(
        dir.resolve(name),
        dir.resolve(String.format("%s.%05d", name, sequence)),
        StandardCopyOption.ATOMIC_MOVE);
    List<Path> all = rolledFiles();
    for (int i = 0; i < all.size() - keep; i++) {
      Files.deleteIfExists(all.get(i));
    }
    open();
  }

  /** The rolled files, oldest first. */
  private List<Path> rolledFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> rolled.matcher(p.getFileName().toString()).matches())
          .sorted(java.util.Comparator.comparingLong(this::number))
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private long number(Path rolledFile) {
    Matcher m = rolled.matcher(rolledFile.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : 0;
  }
}
