package dev.millrace.runtime.source;

import java.nio.file.Path;

/** A regular file seen in a monitored directory, as it was when listed. */
record ListedFile(Path path, long modifiedMillis, long sizeBytes) {

  /** The file's name within its directory. */
  String name() {
    return path.getFileName().toString();
  }
}
