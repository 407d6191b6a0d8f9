package dev.millrace.runtime.source;

/**
 * A regular file seen in a monitored directory, as it was when listed: its location (a local path
 * or a Hadoop file system URI) and its name within the directory.
 */
record ListedFile(String path, String name, long modifiedMillis, long sizeBytes) {}
