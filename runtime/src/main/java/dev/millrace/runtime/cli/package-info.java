/**
 * The {@code millrace} command: its subcommands and their usage ({@code …Flags}, read with {@code
 * launch.Flags}), and {@code millrace app}, which runs an application in this process. May use:
 * everything it starts ({@code driver}, {@code executor}, {@code backend.local}, {@code recovery}
 * for inspection) and {@code launch}; it sits on top: nothing in runtime uses {@code cli}.
 */
package dev.millrace.runtime.cli;
