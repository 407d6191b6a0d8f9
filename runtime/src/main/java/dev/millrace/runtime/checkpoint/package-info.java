/**
 * The checkpoint directory: {@link dev.millrace.runtime.checkpoint.CheckpointStore}, the facade
 * over its sections (generations, state part files, the batch log, the app manifest, on {@code
 * CheckpointFiles}), the lease that lets one driver write it, and the file formats of each. May
 * use: Hadoop's file system, {@code fs} (the access it hands sources for their own logs) and {@code
 * codec}; nothing of the engine above it (streams, scheduler, recovery use it).
 */
package dev.millrace.runtime.checkpoint;
