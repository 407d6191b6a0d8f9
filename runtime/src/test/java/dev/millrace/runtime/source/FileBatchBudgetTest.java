package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FileBatchBudgetTest {

  @Test
  void takesEveryFileWithoutLimits() {
    assertEquals(
        5, new FileBatchBudget(Integer.MAX_VALUE, Long.MAX_VALUE, 1).filesToTake(files(5)));
  }

  @Test
  void takesAtMostTheMaximumNumberOfFiles() {
    assertEquals(3, new FileBatchBudget(3, Long.MAX_VALUE, 1).filesToTake(files(5)));
  }

  @Test
  void takesTheFilesWhoseEstimatedLinesFitTheRecordBudget() {
    // 100-byte files at 10 bytes per line: 10 lines each; 35 records fit three.
    assertEquals(3, new FileBatchBudget(Integer.MAX_VALUE, 35, 10).filesToTake(files(5)));
    assertEquals(4, new FileBatchBudget(Integer.MAX_VALUE, 40, 10).filesToTake(files(5)));
  }

  @Test
  void takesOneFileEvenWhenItAloneExceedsTheBudget() {
    assertEquals(1, new FileBatchBudget(Integer.MAX_VALUE, 5, 1).filesToTake(files(5)));
  }

  @Test
  void takesNothingWhenNothingIsNew() {
    assertEquals(0, new FileBatchBudget(3, 5, 1).filesToTake(List.of()));
  }

  private static List<ListedFile> files(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> new ListedFile(Path.of("in", "f" + i).toString(), "f" + i, i, 100))
        .toList();
  }
}
