package dev.millrace.runtime.fs;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FSDataOutputStream;

/**
 * A Hadoop output stream whose {@link #flush} is {@code hflush}: on HDFS the bytes written so far
 * are then in every data node of the write pipeline and visible to readers that open the file, so
 * they outlive this process. The plain {@code flush} of a Hadoop stream only empties its own
 * buffer.
 */
final class HflushOutputStream extends OutputStream {
  private final FSDataOutputStream out;

  HflushOutputStream(FSDataOutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    out.hflush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
