package dev.millrace.runtime.source;

/**
 * One part of a text file stream's batch plan ({@link TextFileSource}): a byte range of a file to
 * read, or a file a recovery passed over.
 */
public sealed interface FilePart permits FileSplit, PassedOverFile {}
