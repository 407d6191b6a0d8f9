package dev.millrace.runtime.codec;

/**
 * A user type that {@link RecordCodecTest} loads a second time, in a class loader of its own, as a
 * driver loads an application's jars; top-level, so the copy needs nothing private of another.
 */
public record Parcel(String label) {}
