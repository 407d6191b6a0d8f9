/**
 * The driver's view of its executors: registration and heartbeats ({@code ExecutorRegistry}), where
 * state partitions live, and the runners that send shuffle map tasks and state updates to
 * executors. May use: {@code transport} to talk, and the engine's {@code shuffle}, {@code state},
 * {@code task}, {@code stream} and {@code checkpoint} types it runs remotely.
 */
package dev.millrace.runtime.cluster;
