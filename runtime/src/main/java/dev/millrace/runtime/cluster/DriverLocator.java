package dev.millrace.runtime.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where an executor finds its driver, asked again before every connection attempt: a fixed {@code
 * host:port} ({@code --driver}), or an address file on any Hadoop file system ({@code
 * --driver-address-file}) that each driver attempt rewrites where it listens. The file lets the
 * executors of a backend without a stable driver address (YARN, where a restarted driver lands in
 * another container on another node) follow the driver without anything in between.
 */
public interface DriverLocator {
  /**
   * The driver's executor address now; may block (reading a file).
   *
   * @throws IOException if it cannot be known now: the caller retries with backoff
   */
  InetSocketAddress locate() throws IOException;

  /** Whether {@link #locate()} answers at once, without I/O. */
  boolean immediate();

  /** The driver at {@code host:port}, always. */
  static DriverLocator at(String host, int port) {
    InetSocketAddress address = InetSocketAddress.createUnresolved(host, port);
    return new DriverLocator() {
      @Override
      public InetSocketAddress locate() {
        return address;
      }

      @Override
      public boolean immediate() {
        return true;
      }

      @Override
      public String toString() {
        return host + ":" + port;
      }
    };
  }

  /**
   * The driver whose executor address ({@code host:port}, one line) is in the file at {@code uri},
   * read anew every time, through the Hadoop file system of its scheme.
   */
  static DriverLocator inFile(URI uri, Configuration hadoop) {
    return new DriverLocator() {
      @Override
      public InetSocketAddress locate() throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(hadoop);
        String text;
        try (InputStream in = fs.open(path)) {
          text = new String(in.readNBytes(1024), StandardCharsets.UTF_8).strip();
        }
        int colon = text.lastIndexOf(':');
        try {
          int port = Integer.parseInt(text.substring(colon + 1));
          if (colon > 0 && port > 0 && port < 65536) {
            return InetSocketAddress.createUnresolved(text.substring(0, colon), port);
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new IOException(
            "the driver address file " + uri + " holds '" + text + "', not host:port");
      }

      @Override
      public boolean immediate() {
        return false;
      }

      @Override
      public String toString() {
        return "the address in " + uri;
      }
    };
  }
}
