package dev.millrace.runtime.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The parameters of {@code millrace example}: the example's name, then its own. */
@Command(
    name = "example",
    description =
        """
        run an example in this process, e.g. example NetworkWordCount localhost 9999""")
final class ExampleFlags {
  @Parameters(
      index = "0",
      paramLabel = "<Name>",
      arity = "1",
      description = "the example: " + ExampleFlags.EXAMPLES)
  String name;

  @Parameters(
      index = "1..*",
      paramLabel = "args",
      description = "the example's options and arguments (see below)")
  List<String> rest = new ArrayList<>();

  /** The examples millrace-examples ships. */
  static final String EXAMPLES =
      "NetworkWordCount, StatefulNetworkWordCount, WindowedNetworkWordCount, FileWordCount, Demo";
}
