/**
 * The local backend: {@code millrace run} supervises one StreamingApp on this machine (driver and
 * executor processes, their logs, the progress line) with the {@code Supervisor} of {@code crds}.
 * May use: the spec and Supervisor of {@code crds}, {@code driver} (to launch it), {@code logs},
 * and {@code launch}'s exit codes; never {@code cli} (it starts {@code cli.Millrace} as a process,
 * by name) and nothing of the engine's batch machinery.
 */
package dev.millrace.runtime.backend.local;
