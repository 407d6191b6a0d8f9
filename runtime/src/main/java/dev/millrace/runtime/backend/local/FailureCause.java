package dev.millrace.runtime.backend.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a driver's or executor's log says about why it failed, for the one console line {@code
 * millrace run} prints when the process exits: the last error its log holds, read from the end of
 * the file.
 */
final class FailureCause {
  /** How much of the end of a log is read: enough for the last error and a long stack trace. */
  static final int TAIL_BYTES = 64 * 1024;

  /** A cause is cut to this many characters, to keep the console at one line per event. */
  static final int MAX_LENGTH = 400;

  // An slf4j line at ERROR ("[main] ERROR dev.millrace… - message", "12:00:01.250 ERROR Driver -
  // message"), or what 'millrace' itself prints before exiting ("millrace: …").
  private static final Pattern LOGGED_ERROR = Pattern.compile("(^|[\\s\\]])ERROR |^millrace: ");

  // The first line of an uncaught exception's stack trace: "Exception in thread …", or
  // "java.lang.OutOfMemoryError: Java heap space", or "Caused by: …".
  private static final Pattern THROWN =
      Pattern.compile("^(Exception in thread .*|(Caused by: )?[\\w$.]+(Exception|Error)(: .*)?)$");

  private FailureCause() {}

  /**
   * The last ERROR line (or line {@code millrace} printed) in {@code log}; without one, the last
   * line that starts a stack trace; empty if the log holds neither or cannot be read.
   */
  static Optional<String> in(Path log) {
    List<String> lines;
    try {
      lines = tail(log).lines().toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    Optional<String> found = last(lines, LOGGED_ERROR);
    return found.or(() -> last(lines, THROWN)).map(FailureCause::shortened);
  }

  private static Optional<String> last(List<String> lines, Pattern pattern) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (pattern.matcher(lines.get(i)).find()) {
        return Optional.of(lines.get(i).strip());
      }
    }
    return Optional.empty();
  }

  private static String shortened(String line) {
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
  }

  private static String tail(Path log) throws IOException {
    if (!Files.isRegularFile(log)) {
      return "";
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      // A tail that starts mid-line begins with a fragment, not a line of the log.
      return start == 0 ? text : text.substring(text.indexOf('\n') + 1);
    }
  }
}
