package dev.millrace.runtime.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * Files on a Hadoop {@link FileSystem} ({@code hdfs://}, {@code s3a://}, …), opened on first use
 * with the configuration given and then kept. Hadoop reports a missing file as {@link
 * FileNotFoundException}; this access reports it as {@link NoSuchFileException}, as {@code
 * java.nio} does.
 */
final class HadoopFileAccess implements FileAccess {
  private final String location;
  private final Configuration conf;
  private volatile FileSystem fs;

  private HadoopFileAccess(String location, Configuration conf) {
    this.location = location;
    this.conf = conf;
  }

  /**
   * An access for {@code location}, whose scheme must name a file system Hadoop knows; nothing is
   * connected yet.
   */
  static HadoopFileAccess open(String location, String scheme, Configuration conf, String what) {
    try {
      new Path(location);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          what
              + " '"
              + location
              + "' is not a valid URI ("
              + e.getMessage()
              + "); give a local path or a URI such as hdfs://namenode:8020/dir",
          e);
    }
    try {
      FileSystem.getFileSystemClass(scheme, conf);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          what
              + " '"
              + location
              + "' has the scheme '"
              + scheme
              + "', for which no Hadoop file system is available ("
              + e.getMessage()
              + "). Use a local path or a file://, hdfs:// or s3a:// URI; for another scheme put"
              + " its Hadoop file system on the classpath or name its class with"
              + " millrace.hadoop.fs."
              + scheme
              + ".impl",
          e);
    }
    return new HadoopFileAccess(location, conf);
  }

  private FileSystem fs() throws IOException {
    FileSystem opened = fs;
    if (opened == null) {
      try {
        opened = new Path(location).getFileSystem(conf);
      } catch (IOException | RuntimeException e) {
        // An unknown host, for one, surfaces as an IllegalArgumentException.
        throw new IOException("cannot open the file system of " + location + ": " + e, e);
      }
      fs = opened;
    }
    return opened;
  }

  @Override
  public String normalize(String location) {
    return location;
  }

  @Override
  public List<Entry> list(String dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (FileStatus status : listStatus(dir)) {
      String name = status.getPath().getName();
      entries.add(
          new Entry(
              resolve(dir, name),
              name,
              status.isFile(),
              status.getModificationTime(),
              status.getLen()));
    }
    return entries;
  }

  @Override
  public List<String> names(String dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus status : listStatus(dir)) {
      names.add(status.getPath().getName());
    }
    return names;
  }

  private FileStatus[] listStatus(String dir) throws IOException {
    try {
      return fs().listStatus(new Path(dir));
    } catch (FileNotFoundException e) {
      throw missing(dir, e);
    }
  }

  @Override
  public InputStream open(String file, long offset) throws IOException {
    FSDataInputStream in;
    try {
      in = fs().open(new Path(file));
    } catch (FileNotFoundException e) {
      throw missing(file, e);
    }
    try {
      if (offset > 0) {
        in.seek(offset);
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  @Override
  public OutputStream create(String file) throws IOException {
    return fs().create(new Path(file), false);
  }

  /**
   * Refuses, after creating and deleting the file, a file system whose streams lack {@code hflush}:
   * only an open stream can say so.
   */
  @Override
  public OutputStream createFlushable(String file) throws IOException {
    FileSystem opened = fs();
    Path path = new Path(file);
    FSDataOutputStream out = opened.create(path, false);
    if (!out.hasCapability(StreamCapabilities.HFLUSH)) {
      out.close();
      opened.delete(path, false);
      throw new FlushUnsupportedException(file, opened.getScheme());
    }
    return new HflushOutputStream(out);
  }

  @Override
  public void createDirectories(String dir) throws IOException {
    if (!fs().mkdirs(new Path(dir))) {
      throw new IOException("cannot create directory " + dir + " (mkdirs returned false)");
    }
  }

  @Override
  public void createDirectory(String dir) throws IOException {
    if (exists(dir)) {
      throw new FileAlreadyExistsException(dir);
    }
    createDirectories(dir);
  }

  @Override
  public boolean exists(String location) throws IOException {
    return fs().exists(new Path(location));
  }

  @Override
  public void rename(String from, String to) throws IOException {
    FileSystem opened = fs();
    Path source = new Path(from);
    Path target = new Path(to);
    if (opened instanceof DistributedFileSystem hdfs) {
      // One name node operation that refuses an existing target: no window between check and move.
      try {
        hdfs.rename(source, target, Options.Rename.NONE);
      } catch (IOException e) {
        // A file onto a directory fails with another message; both mean the target exists.
        if (e instanceof org.apache.hadoop.fs.FileAlreadyExistsException || hdfs.exists(target)) {
          throw exists(from, to, e);
        }
        throw e;
      }
      return;
    }
    // FileSystem.rename moves 'from' into 'to' when 'to' is a directory, and reports most failures
    // by returning false. Only one writer renames to a batch's name, so check, then rename.
    if (opened.exists(target)) {
      throw exists(from, to, null);
    }
    if (!opened.rename(source, target)) {
      throw new IOException("renaming " + from + " to " + to + " failed");
    }
  }

  private static FileAlreadyExistsException exists(String from, String to, Exception cause) {
    FileAlreadyExistsException e =
        new FileAlreadyExistsException(from, to, "the target of the rename exists");
    e.initCause(cause);
    return e;
  }

  /**
   * True on HDFS, whose name node renames in one operation; false on every other Hadoop file
   * system, which is the safe answer where it is not known (S3A copies).
   */
  @Override
  public boolean renamesDirectoriesAtomically() {
    try {
      return fs() instanceof DistributedFileSystem;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void deleteRecursively(String location) throws IOException {
    fs().delete(new Path(location), true);
  }

  @Override
  public String resolve(String dir, String name) {
    return new Path(new Path(dir), name).toString();
  }

  @Override
  public String parent(String location) {
    Path parent = new Path(location).getParent();
    return parent == null ? null : parent.toString();
  }

  @Override
  public String name(String location) {
    return new Path(location).getName();
  }

  @Override
  public String absolute(String location) {
    return location;
  }

  @Override
  public String advice(String location) {
    return "; check the URI's scheme and authority (host:port of the name node for hdfs://, the"
        + " bucket for s3a://), that the file system is reachable from this process, and that the"
        + " Hadoop configuration (HADOOP_CONF_DIR, core-site.xml on the classpath, or"
        + " millrace.hadoop.* settings such as millrace.hadoop.fs.s3a.endpoint) names it";
  }

  private static NoSuchFileException missing(String location, FileNotFoundException e) {
    NoSuchFileException missing = new NoSuchFileException(location, null, e.getMessage());
    missing.initCause(e);
    return missing;
  }
}
