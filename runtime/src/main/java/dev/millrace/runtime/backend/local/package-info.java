/**
 * The local backend: {@code millrace run} supervises one StreamingApp on this machine (driver and
 * executor processes, their logs, the progress line) with the {@code Supervisor} of {@code crds}.
 * May use: the spec and Supervisor of {@code crds}, {@code driver} (to launch it), {@code logs},
 * and {@code cli}'s exit codes; nothing of the engine's batch machinery.
 */
package dev.millrace.runtime.backend.local;
