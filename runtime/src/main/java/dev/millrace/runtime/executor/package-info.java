/**
 * The executor process: it registers with the driver, runs shuffle map tasks whose input it can
 * rebuild from the batch log, and owns partitions of keyed state. May use: {@code transport} and
 * {@code cluster} to talk to the driver, and the engine types it runs ({@code dataset}, {@code
 * shuffle}, {@code stream}, {@code task}, {@code checkpoint}, {@code recovery}), {@code driver}'s
 * application loading, {@code metrics} it serves, and {@code launch} for its command line and exit
 * codes; never {@code cli}.
 */
package dev.millrace.runtime.executor;
