/**
 * The stream graph inside the engine: one node per DStream (input, mapped, stateful, windowed,
 * union, output), each computing its batch's dataset; an input node is the {@code
 * backpressure.PacedInput} its rate controller paces. May use: {@code dataset}, {@code shuffle},
 * {@code state}, {@code source}, {@code backpressure}, {@code task} and {@code checkpoint}.
 */
package dev.millrace.runtime.stream;
