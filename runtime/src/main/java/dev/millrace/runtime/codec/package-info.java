/**
 * How records and state travel and rest: the record codec (tagged fast paths for common types, Kryo
 * for user types). May use: the public value types of {@code dev.millrace.streaming} (e.g. {@code
 * Pair}) and Kryo; nothing else of the runtime.
 */
package dev.millrace.runtime.codec;
