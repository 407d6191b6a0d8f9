/**
 * The batch clock: {@code BatchScheduler} generates a batch every interval, runs them in order,
 * drains on a graceful stop, and tells the listeners. May use: {@code stream} and {@code source}
 * for what a batch is made of, {@code recovery} for its checkpoints, {@code task} to run it.
 */
package dev.millrace.runtime.scheduler;
