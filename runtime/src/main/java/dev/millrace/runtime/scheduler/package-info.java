/**
 * The batch clock: {@code BatchScheduler} generates a batch every interval, runs them in order,
 * drains on a graceful stop, traces each batch's stages ({@code task.BatchTrace}) for the listeners
 * that hear it ({@code BatchTraceListener}), and tells the listeners (its {@code ListenerBus} is
 * the {@code recovery.CheckpointListener} too). May use: {@code stream}, {@code source} and {@code
 * dataset} for what a batch is made of, {@code recovery} for its checkpoints, {@code task} to run
 * it.
 */
package dev.millrace.runtime.scheduler;
