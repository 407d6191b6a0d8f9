package dev.millrace.examples;

import dev.millrace.streaming.ConfigurationException;

/**
 * Argument checks shared by the examples, with messages that show the expected usage. They throw
 * {@link ConfigurationException}: wrong arguments fail the same way on every start, so a driver
 * exits 78 and is not restarted.
 */
final class Args {
  private Args() {}

  static void require(String[] args, int count, String usage) {
    if (args.length < count) {
      throw new ConfigurationException("expected " + count + " arguments; usage: " + usage);
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
    throw new ConfigurationException("'" + text + "' is not a TCP port (1-65535)");
  }
}
