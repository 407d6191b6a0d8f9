package dev.millrace.runtime.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The flags of {@code millrace app}, declared once each: the jars and the class; what follows the
 * class is the application's ({@link ApplicationRunFlags} for a StreamingApplication).
 */
@Command(
    name = "app",
    description =
        """
        run your StreamingApplication (or a class with a main method) in this process, loaded
        from the jars given and the class path""")
final class AppFlags {
  @Option(
      names = "--jars",
      paramLabel = "<jar>",
      split = ",",
      description =
          "the application's jars: paths, file://, hdfs:// or s3a:// URIs; before the class name")
  List<String> jars = new ArrayList<>();

  @Parameters(
      index = "0",
      paramLabel = "<class>",
      arity = "1",
      description = "the application's class")
  String className;

  @Parameters(
      index = "1..*",
      paramLabel = "args",
      description = "the application's options and arguments (see below)")
  List<String> rest = new ArrayList<>();
}
