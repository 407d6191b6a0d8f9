/**
 * The launch contract every Millrace process shares: how a command line's flags are read and
 * explained ({@link dev.millrace.runtime.launch.Flags}), the exit codes a driver, an executor or a
 * local run ends with ({@link dev.millrace.runtime.launch.ExitCode}), which supervisors read, and
 * the usage error that maps to one. The driver, the executor and the local backend use it without
 * going through {@code cli}. May use: nothing of the engine.
 */
package dev.millrace.runtime.launch;
