/**
 * The {@code millrace} command: its subcommands, their usage, and the exit codes every process of
 * Millrace ends with. May use: everything it starts ({@code driver}, {@code executor}, {@code
 * backend.local}, {@code recovery} for inspection); nothing below uses {@code cli} except for exit
 * codes.
 */
package dev.millrace.runtime.cli;
