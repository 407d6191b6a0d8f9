package dev.millrace.runtime.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The files of the streams' own input and output ({@code textFileStream}, {@code saveAsTextFiles}),
 * named by location strings: a local path, or a URI of any Hadoop {@link FileSystem} ({@code
 * hdfs://nn:8020/in}, {@code s3a://bucket/in}, {@code file:///in}).
 *
 * <p>Local paths and {@code file:} URIs are served by {@code java.nio} (one system call per
 * operation, atomic {@code rename(2)}); every other scheme by its Hadoop file system, opened once
 * per access with the given configuration. Callers write their logic once against this interface.
 *
 * <p>Locations are strings so that a plan or a split names a file any process can open; they are
 * built only with {@link #resolve}, {@link #parent} and {@link #absolute} of the same access. A
 * file or directory that does not exist is reported as {@link NoSuchFileException} by every
 * implementation. Implementations are thread-safe.
 */
public interface FileAccess {
  /** A URI scheme of at least two characters followed by ':/' (one letter is a Windows drive). */
  Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]+):/.*", Pattern.DOTALL);

  /**
   * The access for {@code location} and the locations under it: local for a path without a scheme
   * or with {@code file:}, Hadoop otherwise. Does not connect to anything.
   *
   * @param what what the location is for, such as "input directory of text file stream 'x'", to
   *     name in errors
   * @throws IllegalArgumentException naming {@code location} if it is not a valid path or URI, or
   *     if no Hadoop file system is known for its scheme
   */
  static FileAccess forLocation(String location, Configuration hadoop, String what) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException(
          what + " is empty; give a local path or a URI such as hdfs://namenode:8020/dir");
    }
    String scheme = scheme(location);
    if (scheme == null) {
      return LocalFileAccess.INSTANCE;
    }
    if (scheme.equals("file")) {
      return LocalFileAccess.INSTANCE;
    }
    return HadoopFileAccess.open(location, scheme, hadoop, what);
  }

  /** The local file system through {@code java.nio}. */
  static FileAccess local() {
    return LocalFileAccess.INSTANCE;
  }

  /** The lower-case URI scheme of {@code location}, or null for a plain path. */
  static String scheme(String location) {
    var m = SCHEME.matcher(location);
    return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
  }

  /**
   * {@code location} as this access names it: a {@code file:} URI becomes its local path; others
   * are unchanged.
   *
   * @throws IllegalArgumentException naming {@code location} if it is not a valid local path
   */
  String normalize(String location);

  /** A file or directory seen in a listing, as it was when listed. */
  record Entry(String location, String name, boolean regularFile, long modifiedMillis, long size) {}

  /**
   * The entries of directory {@code dir} with their attributes; entries that vanish while listed
   * are left out.
   *
   * @throws NoSuchFileException if {@code dir} does not exist
   */
  List<Entry> list(String dir) throws IOException;

  /**
   * The names in directory {@code dir}, without reading their attributes.
   *
   * @throws NoSuchFileException if {@code dir} does not exist
   */
  List<String> names(String dir) throws IOException;

  /**
   * The bytes of {@code file} from byte {@code offset} on.
   *
   * @throws NoSuchFileException if {@code file} does not exist
   */
  InputStream open(String file, long offset) throws IOException;

  /** A new file {@code file}, failing if it exists; its directory must exist. */
  OutputStream create(String file) throws IOException;

  /**
   * A new file {@code file}, failing if it exists (its directory must exist), for a log that others
   * read while it is written: each {@code flush()} of the stream hands what was written so far to
   * the file system, where it outlives this process and readers that open the file see it. On HDFS
   * that is {@code hflush} (in every data node of the pipeline, not yet on their disks); locally
   * every write reaches the operating system, which keeps it if this process dies but not if the
   * machine does.
   *
   * @throws FlushUnsupportedException if the file system publishes a file only when it is closed
   *     (S3 and other object stores); no file is left behind
   */
  OutputStream createFlushable(String file) throws IOException;

  /** Creates {@code dir} and its missing parents; nothing if it is a directory already. */
  void createDirectories(String dir) throws IOException;

  /** Creates the new directory {@code dir}, failing if anything has that name. */
  void createDirectory(String dir) throws IOException;

  /** Whether anything has the name {@code location}. */
  boolean exists(String location) throws IOException;

  /**
   * Renames {@code from} to {@code to} in one atomic step. Callers make sure {@code to} does not
   * exist: on a Hadoop file system this fails with {@link java.nio.file.FileAlreadyExistsException}
   * when it does (rather than moving {@code from} into it; on HDFS in the same name node
   * operation), locally an existing empty directory would be replaced.
   */
  void rename(String from, String to) throws IOException;

  /**
   * Whether {@link #rename} moves a directory in one step, so that readers see it whole at its new
   * name or not at all: true on local file systems and HDFS; false on object stores such as S3,
   * whose renames copy object by object and delete the originals as they go.
   */
  boolean renamesDirectoriesAtomically();

  /** Deletes {@code location} and everything under it; nothing if it does not exist. */
  void deleteRecursively(String location) throws IOException;

  /** The location of {@code name} in directory {@code dir}. */
  String resolve(String dir, String name);

  /** The directory holding {@code location}, or null for a root. */
  String parent(String location);

  /** The last name of {@code location}. */
  String name(String location);

  /** {@code location} made absolute (local paths against the working directory). */
  String absolute(String location);

  /**
   * What else to check, beyond permissions and free space, when {@code location} cannot be reached:
   * empty for local files, or a sentence starting with "; " on how a remote file system is named
   * and configured.
   */
  String advice(String location);
}
