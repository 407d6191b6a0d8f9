package dev.millrace.runtime.source;

/**
 * A byte range {@code [start, end)} of a text file, as it was listed when a batch took it (its
 * location, a local path or a Hadoop file system URI, lets any process open it). The split owns
 * every line whose first byte lies in the range; its last line may run past {@code end}.
 */
record FileSplit(ListedFile file, long start, long end) implements FilePart {}
