package dev.millrace.runtime.source;

/**
 * A byte range {@code [start, end)} of a text file, named by its location string (a local path or a
 * Hadoop file system URI) so that any process can open it. The split owns every line whose first
 * byte lies in the range; its last line may run past {@code end}.
 */
record FileSplit(String file, long start, long end) {}
