/**
 * The driver process: loading the application's code and graph from a spec, the settings it runs
 * with, running the application until it stops ({@code ApplicationRunner}, which {@code millrace
 * app} uses too), the status server the supervisors poll, and which process owns which state
 * partitions. May use: the engine it wires ({@code stream}, {@code source}, {@code checkpoint},
 * {@code cluster}, {@code transport}, {@code state}, {@code shuffle}), {@code metrics} it serves,
 * {@code launch} for its command line and exit codes, and the spec of {@code crds}; never {@code
 * cli}, {@code executor} or {@code backend.local}.
 */
package dev.millrace.runtime.driver;
