/**
 * Backpressure: the PID rate estimator, the rate controller that feeds it batch timings, and the
 * rate limits and token bucket that receivers and file sources pace themselves with. May use:
 * {@code config}, and the batch timings of {@code stream} and {@code dataset} its controller reads;
 * sources use it, never the other way round.
 */
package dev.millrace.runtime.backpressure;
