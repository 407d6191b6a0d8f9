package dev.millrace.runtime.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The text files of words a distributed test writes into a text file stream's directory, each
 * complete when it appears, and a count of their words made directly: what the saved counts must
 * equal.
 */
final class TestingWordFiles {
  private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};

  private final Path directory;
  private final TreeMap<String, Long> counts = new TreeMap<>();
  private int written;

  /** Files written into {@code directory}. */
  TestingWordFiles(Path directory) {
    this.directory = directory;
  }

  /** Writes a file of {@code lines} lines of up to seven words. */
  void write(int lines) throws IOException {
    int file = written++;
    List<String> text = new ArrayList<>(lines);
    for (int i = 0; i < lines; i++) {
      StringBuilder line = new StringBuilder();
      for (int w = 0; w <= (i + file) % 7; w++) {
        String word = WORDS[(i * 31 + w * 7 + file) % WORDS.length] + (i % 13);
        line.append(word).append(' ');
        counts.merge(word, 1L, Long::sum);
      }
      text.add(line.toString());
    }
    moveIntoPlace(file, text);
  }

  /** Writes a file whose first line is {@code marker}, then twenty words, one per line. */
  void writeMarked(String marker) throws IOException {
    int file = written++;
    List<String> text = new ArrayList<>(List.of(marker));
    for (int i = 0; i < 20; i++) {
      String word = WORDS[(i + file) % WORDS.length];
      text.add(word);
      counts.merge(word, 1L, Long::sum);
    }
    moveIntoPlace(file, text);
  }

  /** The count of every word written so far. */
  TreeMap<String, Long> counts() {
    return new TreeMap<>(counts);
  }

  /** The number of words written so far. */
  long words() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Writes {@code text} under a hidden name, which the stream ignores, and renames it into place:
   * the stream cannot tell a half-written file from a complete one.
   */
  private void moveIntoPlace(int file, List<String> text) throws IOException {
    Path hidden = directory.resolve(".f" + file + ".tmp");
    Files.write(hidden, text);
    Files.move(hidden, directory.resolve("f" + file + ".txt"), StandardCopyOption.ATOMIC_MOVE);
  }
}
