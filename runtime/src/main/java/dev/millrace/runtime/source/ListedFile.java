package dev.millrace.runtime.source;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A regular file seen in a monitored directory, as it was when listed: its location (a local path
 * or a Hadoop file system URI) and its name within the directory.
 */
record ListedFile(String path, String name, long modifiedMillis, long sizeBytes) {

  /**
   * Writes {@code files} as a count, then each one's name, modification time and size: the form of
   * a batch plan, and of the files a checkpointed position names.
   */
  static void writeAll(DataOutputStream out, List<ListedFile> files) throws IOException {
    out.writeInt(files.size());
    for (ListedFile f : files) {
      out.writeUTF(f.name());
      out.writeLong(f.modifiedMillis());
      out.writeLong(f.sizeBytes());
    }
  }

  /**
   * Reads what {@link #writeAll} wrote from {@code in}, a stream of {@code limit} bytes at most,
   * locating each name in the stream's directory with {@code locate}.
   *
   * @throws IOException if the bytes are not such a list
   */
  static List<ListedFile> readAll(DataInputStream in, int limit, UnaryOperator<String> locate)
      throws IOException {
    int count = in.readInt();
    if (count < 0 || count > limit) {
      throw new IOException("file count " + count + " is impossible");
    }
    List<ListedFile> files = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      files.add(new ListedFile(locate.apply(name), name, in.readLong(), in.readLong()));
    }
    return files;
  }
}
