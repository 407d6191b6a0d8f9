/**
 * The launch contract every Millrace process shares: the exit codes a driver, an executor or a
 * local run ends with ({@link dev.millrace.runtime.launch.ExitCode}), which supervisors read, and
 * the usage error that maps to one. The driver, the executor and the local backend use it without
 * going through the command-line parsing in {@code cli}.
 */
package dev.millrace.runtime.launch;
