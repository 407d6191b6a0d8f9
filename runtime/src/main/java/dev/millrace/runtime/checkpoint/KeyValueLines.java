package dev.millrace.runtime.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text encoding of the small checkpoint manifests: UTF-8 {@code key=value} lines, a key may
 * repeat, and a backslash escapes newline ({@code \n}), carriage return ({@code \r}) and itself in
 * values so that any string survives a round trip. Kept as text so an operator can read it.
 */
final class KeyValueLines {
  private final StringBuilder text = new StringBuilder();

  KeyValueLines add(String key, Object value) {
    text.append(key).append('=').append(escape(String.valueOf(value))).append('\n');
    return this;
  }

  byte[] toBytes() {
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes the lines in order; blank lines are ignored. */
  static List<Map.Entry<String, String>> parse(byte[] bytes) throws MalformedFileException {
    String content;
    try {
      content =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedFileException("not valid UTF-8 text");
    }
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    int lineNumber = 0;
    for (String line : content.split("\n", -1)) {
      lineNumber++;
      // A raw carriage return can only come from a hand edit on Windows; values escape their own.
      line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new MalformedFileException(
            "line " + lineNumber + " is not key=value: '" + line + "'");
      }
      entries.add(Map.entry(line.substring(0, eq), unescape(line.substring(eq + 1), lineNumber)));
    }
    return entries;
  }

  static int parseInt(String value, String key) throws MalformedFileException {
    long parsed = parseLong(value, key);
    if (parsed != (int) parsed) {
      throw new MalformedFileException(key + " '" + value + "' is out of range");
    }
    return (int) parsed;
  }

  static long parseLong(String value, String key) throws MalformedFileException {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new MalformedFileException(key + " '" + value + "' is not a number");
    }
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String unescape(String value, int lineNumber) throws MalformedFileException {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char next = ++i < value.length() ? value.charAt(i) : 0;
      switch (next) {
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        default -> throw new MalformedFileException("line " + lineNumber + " has a bad escape");
      }
    }
    return out.toString();
  }
}
