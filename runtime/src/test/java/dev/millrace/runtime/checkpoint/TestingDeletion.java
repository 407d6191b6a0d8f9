package dev.millrace.runtime.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes a checkpoint directory under a running driver, as a user's {@code rm -r} would. */
public final class TestingDeletion {
  private TestingDeletion() {}

  /**
   * Deletes the tree at {@code root}, walking it again when a writer added or removed a file while
   * it was being deleted.
   */
  public static void deleteTree(Path root) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
        return;
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        if (attempt > 10) {
          throw e;
        }
      }
    }
  }
}
