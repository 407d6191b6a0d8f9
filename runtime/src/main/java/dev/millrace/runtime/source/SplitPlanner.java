package dev.millrace.runtime.source;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the files of a batch into splits, one read task each. A batch with at least as many files as
 * partitions reads one split per file; with fewer, files larger than {@link
 * #SPLITTABLE_ABOVE_BYTES} are cut into byte ranges so the batch has about as many splits as
 * partitions, sharing the spare partitions among large files by size and never cutting a range
 * below {@link #MIN_RANGE_BYTES}.
 */
final class SplitPlanner {
  static final long SPLITTABLE_ABOVE_BYTES = 1L << 20;
  static final long MIN_RANGE_BYTES = 512L << 10;

  private SplitPlanner() {}

  /** The splits of {@code files}, in file order and byte order within a file. */
  static List<FileSplit> plan(List<ListedFile> files, int partitions) {
    long largeBytes = 0;
    int smallFiles = 0;
    for (ListedFile f : files) {
      if (f.sizeBytes() > SPLITTABLE_ABOVE_BYTES) {
        largeBytes += f.sizeBytes();
      } else {
        smallFiles++;
      }
    }
    boolean cut = files.size() < partitions && largeBytes > 0;
    int spareSplits = partitions - smallFiles;
    List<FileSplit> splits = new ArrayList<>();
    for (ListedFile f : files) {
      long size = f.sizeBytes();
      int ranges =
          cut && size > SPLITTABLE_ABOVE_BYTES ? rangesFor(size, largeBytes, spareSplits) : 1;
      for (int i = 0; i < ranges; i++) {
        splits.add(new FileSplit(f, size * i / ranges, size * (i + 1) / ranges));
      }
    }
    return splits;
  }

  private static int rangesFor(long size, long largeBytes, int spareSplits) {
    long byShare = Math.round((double) size * spareSplits / largeBytes);
    long bySize = size / MIN_RANGE_BYTES;
    return (int) Math.max(1, Math.min(byShare, bySize));
  }
}
