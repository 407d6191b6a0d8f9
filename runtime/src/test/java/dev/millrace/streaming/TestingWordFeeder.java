package dev.millrace.streaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes text files of words into a directory on a thread of its own, one every {@code
 * periodMillis}, as an upstream system would: each under a hidden name first, then renamed into
 * place atomically. The words come from a small vocabulary, drawn from a seeded {@link Random}, so
 * a seed gives the same files in the same order. The first word of file {@code n} is {@code
 * file-n}, which occurs nowhere else: its count in an output says how often that file was counted.
 *
 * <p>It keeps the count of every word it wrote: what a failure-free word count of the directory
 * must add up to.
 */
final class TestingWordFeeder implements AutoCloseable {
  private static final List<String> VOCABULARY =
      List.of(
          "alder",
          "birch",
          "cedar",
          "douglas",
          "elm",
          "fir",
          "ginkgo",
          "hazel",
          "ironwood",
          "juniper",
          "kauri",
          "larch",
          "maple",
          "nutmeg",
          "oak",
          "pine");

  private final Path directory;
  private final Random random;
  private final long periodMillis;
  private final Map<String, Long> counts = new TreeMap<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean feeding = true;
  private int files;

  TestingWordFeeder(Path directory, long seed, long periodMillis) {
    this.directory = directory;
    this.random = new Random(seed);
    this.periodMillis = periodMillis;
    this.thread = new Thread(this::feed, "word-feeder");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void feed() {
    try {
      while (feeding) {
        writeFile();
        Thread.sleep(periodMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure.set(e);
    }
  }

  private void writeFile() {
    String name = marker(files);
    StringBuilder text = new StringBuilder(name).append('\n');
    count(name);
    int lines = 1 + random.nextInt(4);
    for (int l = 0; l < lines; l++) {
      int words = random.nextInt(12);
      for (int w = 0; w < words; w++) {
        String word = VOCABULARY.get(random.nextInt(VOCABULARY.size()));
        text.append(w == 0 ? "" : " ").append(word);
        count(word);
      }
      text.append('\n');
    }
    Path hidden = directory.resolve(".tmp-" + name);
    try {
      Files.writeString(hidden, text, StandardCharsets.UTF_8);
      Files.move(hidden, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("the feeder cannot write " + hidden, e);
    }
    files++;
  }

  /** The first word of file {@code n}, which is also its name. */
  static String marker(int n) {
    return String.format("file-%06d", n);
  }

  private void count(String word) {
    counts.merge(word, 1L, Long::sum);
  }

  /**
   * Stops writing and waits for the file being written.
   *
   * @throws RuntimeException if writing a file failed
   */
  void stop() throws InterruptedException {
    feeding = false;
    thread.join(10_000);
    if (thread.isAlive()) {
      throw new IllegalStateException("the feeder did not stop within 10 s");
    }
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  /** How many files were written; call after {@link #stop()}. */
  int files() {
    return files;
  }

  /** How often each word was written, over all files; call after {@link #stop()}. */
  Map<String, Long> counts() {
    return Map.copyOf(counts);
  }

  /** Stops writing without waiting long: for clean-up after a failure. */
  @Override
  public void close() {
    feeding = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
