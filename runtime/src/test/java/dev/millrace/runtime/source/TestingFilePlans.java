package dev.millrace.runtime.source;

import dev.millrace.runtime.dataset.Dataset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a text file stream's batch reads, told from its plan. */
final class TestingFilePlans {
  private TestingFilePlans() {}

  /** The files {@code batch} reads (local paths or URIs), each once, in the order it reads them. */
  @SuppressWarnings("unchecked")
  static List<String> files(Dataset<String> batch) {
    Set<String> files = new LinkedHashSet<>();
    for (FilePart part : ((PlannedDataset<String, FilePart>) batch).plan()) {
      if (part instanceof FileSplit split) {
        files.add(split.file().path());
      }
    }
    return List.copyOf(files);
  }
}
