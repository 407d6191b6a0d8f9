package dev.millrace.runtime.source;

/**
 * A file that batches whose plans are missing from the batch log had taken: a recovery passes it
 * over, so no later batch takes it, and nothing reads it.
 */
record PassedOverFile(String name) implements FilePart {}
