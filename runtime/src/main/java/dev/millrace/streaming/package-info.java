/**
 * The streaming API applications are written against: {@link
 * dev.millrace.streaming.StreamingContext}, {@link dev.millrace.streaming.DStream}, {@link
 * dev.millrace.streaming.PairDStream}, {@link dev.millrace.streaming.Batch} and the values they
 * use. The names follow Spark Streaming's and are pinned: users and examples rely on them.
 *
 * <p>A context only describes: each stream and output is recorded as a definition, and {@code
 * start()} builds the engine from the description. This package uses the engine only through its
 * front door, the package {@code dev.millrace.runtime}, never its sub-packages, and nothing public
 * here exposes an engine type.
 */
package dev.millrace.streaming;
