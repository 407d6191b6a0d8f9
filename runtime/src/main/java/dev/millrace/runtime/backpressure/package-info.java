/**
 * Backpressure: the PID rate estimator, the rate controller that feeds it batch timings, and the
 * rate limits and token bucket that receivers and file sources pace themselves with. The controller
 * sees an input stream as a {@code PacedInput}, which the stream graph's input nodes are. May use:
 * {@code config}, and {@code dataset} for the size of what an input planned; sources and streams
 * use it, never the other way round.
 */
package dev.millrace.runtime.backpressure;
