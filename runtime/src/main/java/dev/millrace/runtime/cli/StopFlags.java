package dev.millrace.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The flags of {@code millrace stop}, read by the YARN client ({@code dev.millrace.yarn.YarnCli});
 * here so that {@code millrace help} explains them without YARN.
 */
@Command(
    name = "stop",
    description =
        """
        (YARN, through bin/millrace) stop it gracefully: the driver finishes its batch and
        checkpoints, the application ends SUCCEEDED""")
public final class StopFlags {
  @Parameters(
      index = "0",
      arity = "1",
      paramLabel = "<application id>",
      description = "the YARN application id, e.g. application_1700000000000_0001")
  public String applicationId;

  @Option(names = "--wait", description = "wait until the application has ended")
  public boolean await;
}
