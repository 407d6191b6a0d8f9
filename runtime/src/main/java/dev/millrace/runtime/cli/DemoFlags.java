package dev.millrace.runtime.cli;

import dev.millrace.runtime.launch.Flags;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The flags of {@code millrace demo}, declared once each; the demo reads them through here. */
@Command(
    name = "demo",
    description =
        """
        a supervised word count that writes its own input, is killed with SIGKILL once and
        recovers with exact output""")
public final class DemoFlags {
  @Option(
      names = "--files",
      paramLabel = "N",
      converter = AtLeastSix.class,
      description = "how many files of input to write, at least 6 (default 24)")
  int files = 24;

  /**
   * How many files the demo writes, read from {@code args}.
   *
   * @throws UsageException if a flag is unknown or the count is not a number from 6
   */
  public static int files(List<String> args) {
    return Flags.parse(new DemoFlags(), args).files;
  }

  /** A count of input files: enough for the demo's kill to land mid-run. */
  static final class AtLeastSix implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int n;
      try {
        n = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("must be a number");
      }
      if (n < 6) {
        throw new TypeConversionException("must be at least 6");
      }
      return n;
    }
  }
}
