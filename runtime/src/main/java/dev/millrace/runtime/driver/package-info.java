/**
 * The driver process: loading the application's code and graph from a spec, the settings it runs
 * with, the status server the supervisors poll, and which process owns which state partitions. May
 * use: the engine it wires ({@code stream}, {@code source}, {@code checkpoint}, {@code cluster},
 * {@code transport}, {@code state}, {@code shuffle}) and the spec of {@code crds}.
 */
package dev.millrace.runtime.driver;
