package dev.millrace.runtime.source;

import java.nio.file.Path;

/**
 * A byte range {@code [start, end)} of a text file. The split owns every line whose first byte lies
 * in the range; its last line may run past {@code end}.
 */
record FileSplit(Path file, long start, long end) {}
