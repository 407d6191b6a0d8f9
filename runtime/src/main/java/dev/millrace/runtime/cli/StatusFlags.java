package dev.millrace.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The parameter of {@code millrace status}, read by the YARN client ({@code
 * dev.millrace.yarn.YarnCli}); here so that {@code millrace help} explains it without YARN.
 */
@Command(
    name = "status",
    description = "(YARN, through bin/millrace) its YARN state and what its supervisor knows")
public final class StatusFlags {
  @Parameters(
      index = "0",
      arity = "1",
      paramLabel = "<application id>",
      description = "the YARN application id, e.g. application_1700000000000_0001")
  public String applicationId;
}
