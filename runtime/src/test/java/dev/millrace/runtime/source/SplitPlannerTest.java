package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SplitPlannerTest {
  private static final long MIB = 1L << 20;

  @Test
  void readsOneSplitPerFileWhenFilesAtLeastMatchPartitions() {
    List<ListedFile> files = List.of(file("a", 10 * MIB), file("b", 20 * MIB));

    assertEquals(
        List.of(split("a", 0, 10 * MIB), split("b", 0, 20 * MIB)), SplitPlanner.plan(files, 2));
  }

  @Test
  void neverCutsFilesOfOneMebibyteOrLess() {
    List<ListedFile> files = List.of(file("a", MIB), file("b", 0));

    assertEquals(List.of(split("a", 0, MIB), split("b", 0, 0)), SplitPlanner.plan(files, 8));
  }

  @Test
  void cutsLargeFileIntoAboutPartitionsContiguousRanges() {
    long size = 8 * MIB + 3;

    List<FileSplit> splits = SplitPlanner.plan(List.of(file("big", size)), 8);

    assertEquals(8, splits.size());
    assertContiguous(splits, size);
  }

  @Test
  void sharesSparePartitionsAmongLargeFilesBySize() {
    List<ListedFile> files =
        List.of(
            file("small1", 100),
            file("large1", 6 * MIB),
            file("small2", 100),
            file("large2", 2 * MIB));

    List<FileSplit> splits = SplitPlanner.plan(files, 10);

    assertEquals(10, splits.size());
    assertEquals(split("small1", 0, 100), splits.get(0));
    assertContiguous(splits.subList(1, 7), 6 * MIB);
    assertEquals(split("small2", 0, 100), splits.get(7));
    assertContiguous(splits.subList(8, 10), 2 * MIB);
  }

  @Test
  void keepsRangesAtLeastHalfAMebibyte() {
    List<FileSplit> splits = SplitPlanner.plan(List.of(file("mid", 3 * MIB / 2)), 16);

    assertEquals(3, splits.size());
    assertContiguous(splits, 3 * MIB / 2);
  }

  @Test
  void plansNoSplitsForNoFiles() {
    assertEquals(List.of(), SplitPlanner.plan(List.of(), 4));
  }

  private static void assertContiguous(List<FileSplit> splits, long size) {
    assertEquals(0, splits.get(0).start());
    for (int i = 1; i < splits.size(); i++) {
      assertEquals(splits.get(i - 1).end(), splits.get(i).start(), "gap before split " + i);
      assertEquals(splits.get(0).file(), splits.get(i).file());
    }
    assertEquals(size, splits.get(splits.size() - 1).end());
  }

  private static ListedFile file(String name, long size) {
    return new ListedFile("/in/" + name, name, 0, size);
  }

  /** Bytes {@code start} to {@code end} of a file of {@code end} bytes. */
  private static FileSplit split(String name, long start, long end) {
    return new FileSplit(file(name, end), start, end);
  }
}
