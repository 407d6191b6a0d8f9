package dev.millrace.runtime.source;

import java.util.List;

/**
 * How many of the new files waiting for a batch it takes: at most {@code maxFiles}, and only as
 * many as fit {@code maxRecords} by their estimated lines (size / {@code bytesPerLine}); always at
 * least one, so a stream whose files each exceed the budget still progresses.
 *
 * @param maxFiles most files per batch, at least 1
 * @param maxRecords most estimated lines per batch; {@link Long#MAX_VALUE} for no budget
 * @param bytesPerLine the estimated average line size in bytes, positive
 */
record FileBatchBudget(int maxFiles, long maxRecords, double bytesPerLine) {

  /** How many of {@code candidates}, in the order given, the batch takes. */
  int filesToTake(List<ListedFile> candidates) {
    int most = Math.min(candidates.size(), maxFiles);
    double lines = 0;
    int taken = 0;
    while (taken < most) {
      lines += candidates.get(taken).sizeBytes() / bytesPerLine;
      if (taken > 0 && lines > maxRecords) {
        break;
      }
      taken++;
    }
    return taken;
  }
}
