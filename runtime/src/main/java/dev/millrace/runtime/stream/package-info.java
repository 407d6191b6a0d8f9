/**
 * The stream graph inside the engine: one node per DStream (input, mapped, stateful, windowed,
 * union, output), each computing its batch's dataset. May use: {@code dataset}, {@code shuffle},
 * {@code state}, {@code source}, {@code task} and {@code checkpoint}.
 */
package dev.millrace.runtime.stream;
