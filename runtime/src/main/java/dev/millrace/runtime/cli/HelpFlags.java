package dev.millrace.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The parameter of {@code millrace help}: the command to explain, if any. */
@Command(name = "help", description = "show this help, or one command's (as <command> --help does)")
final class HelpFlags {
  @Parameters(index = "0", arity = "0..1", paramLabel = "<command>", description = "a command")
  String command;
}
