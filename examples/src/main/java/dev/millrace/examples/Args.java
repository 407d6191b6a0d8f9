package dev.millrace.examples;

/** Argument checks shared by the examples, with messages that show the expected usage. */
final class Args {
  private Args() {}

  static void require(String[] args, int count, String usage) {
    if (args.length < count) {
      throw new IllegalArgumentException("expected " + count + " arguments; usage: " + usage);
    }
  }

  static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("'" + text + "' is not a TCP port (1-65535)");
  }
}
