package dev.millrace.runtime.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A text file stream's position as a checkpoint generation holds it: the names it ignores (present
 * when it first started) and the files it took, each as listed when taken, so that input a
 * checkpoint covers can be removed without touching a file that replaced it under the same name.
 * Both only while the directory holds them. Pure: no I/O.
 *
 * <p>The bytes start with a negative version marker; a position written before there was one (a
 * count, then names) reads as names ignored, so nothing it lists is ever removed.
 */
record FileStreamPosition(List<String> ignored, List<ListedFile> taken) {
  private static final int VERSION_2 = -2;

  FileStreamPosition {
    ignored = List.copyOf(ignored);
    taken = List.copyOf(taken);
  }

  /**
   * Whether {@code bytes} are a position rather than a batch plan, which starts with a count of
   * files, never negative.
   */
  static boolean isPosition(byte[] bytes) {
    return bytes.length >= Integer.BYTES && ByteBuffer.wrap(bytes).getInt() < 0;
  }

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(VERSION_2);
      out.writeInt(ignored.size());
      for (String name : ignored) {
        out.writeUTF(name);
      }
      ListedFile.writeAll(out, taken);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes {@link #toBytes} (or the version before it), locating each taken file's name in the
   * stream's directory with {@code locate}.
   *
   * @throws IOException if {@code bytes} are not a position
   */
  static FileStreamPosition fromBytes(byte[] bytes, UnaryOperator<String> locate)
      throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int first = in.readInt();
      List<String> ignored = new ArrayList<>();
      List<ListedFile> taken = List.of();
      if (first >= 0) {
        readNames(in, first, bytes.length, ignored);
      } else if (first == VERSION_2) {
        readNames(in, in.readInt(), bytes.length, ignored);
        taken = ListedFile.readAll(in, bytes.length, locate);
      } else {
        throw new IOException("position format " + (-first) + " is not one this build reads");
      }
      if (in.available() > 0) {
        throw new IOException(in.available() + " bytes follow the last name");
      }
      return new FileStreamPosition(ignored, taken);
    }
  }

  private static void readNames(DataInputStream in, int count, int limit, List<String> into)
      throws IOException {
    if (count < 0 || count > limit) {
      throw new IOException("name count " + count + " is impossible");
    }
    for (int i = 0; i < count; i++) {
      into.add(in.readUTF());
    }
  }
}
