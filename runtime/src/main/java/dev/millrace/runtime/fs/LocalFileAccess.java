package dev.millrace.runtime.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Local files through {@code java.nio}: plain paths and {@code file:} URIs. */
final class LocalFileAccess implements FileAccess {
  static final LocalFileAccess INSTANCE = new LocalFileAccess();

  private LocalFileAccess() {}

  @Override
  public String normalize(String location) {
    if (FileAccess.scheme(location) == null) {
      try {
        Path.of(location);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(
            "'" + location + "' is not a valid local path (" + e.getMessage() + ")", e);
      }
      return location; // as given: a prefix ending in '/' names "<dir>/-T", as it always has
    }
    try {
      // file:/x, file:///x and file://localhost/x all name /x.
      URI uri = URI.create(location);
      return Path.of(uri.getPath()).toString();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'"
              + location
              + "' is not a valid file: URI ("
              + e.getMessage()
              + "); use file:///absolute/path or a plain local path",
          e);
    }
  }

  @Override
  public List<Entry> list(String dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(Path.of(dir))) {
      for (Path entry : stream) {
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(entry, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue; // renamed or deleted since listed: a later listing sees it as it is then
        }
        entries.add(
            new Entry(
                entry.toString(),
                entry.getFileName().toString(),
                attributes.isRegularFile(),
                attributes.lastModifiedTime().toMillis(),
                attributes.size()));
      }
    }
    return entries;
  }

  @Override
  public List<String> names(String dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(Path.of(dir))) {
      for (Path entry : stream) {
        names.add(entry.getFileName().toString());
      }
    }
    return names;
  }

  @Override
  public InputStream open(String file, long offset) throws IOException {
    SeekableByteChannel channel = Files.newByteChannel(Path.of(file));
    try {
      return Channels.newInputStream(channel.position(offset));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public OutputStream create(String file) throws IOException {
    return Files.newOutputStream(
        Path.of(file), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /**
   * The same stream as {@link #create}: it buffers nothing, so each write is a system call that
   * hands the bytes to the operating system, and {@code flush()} has nothing left to do.
   */
  @Override
  public OutputStream createFlushable(String file) throws IOException {
    return create(file);
  }

  @Override
  public void createDirectories(String dir) throws IOException {
    Files.createDirectories(Path.of(dir));
  }

  @Override
  public void createDirectory(String dir) throws IOException {
    Files.createDirectory(Path.of(dir));
  }

  @Override
  public boolean exists(String location) {
    return Files.exists(Path.of(location));
  }

  @Override
  public void rename(String from, String to) throws IOException {
    Files.move(Path.of(from), Path.of(to), StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public boolean renamesDirectoriesAtomically() {
    return true;
  }

  @Override
  public void deleteRecursively(String location) throws IOException {
    Path root = Path.of(location);
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public String resolve(String dir, String name) {
    return Path.of(dir).resolve(name).toString();
  }

  @Override
  public String parent(String location) {
    Path parent = Path.of(location).getParent();
    return parent == null ? null : parent.toString();
  }

  @Override
  public String name(String location) {
    Path name = Path.of(location).getFileName();
    return name == null ? "" : name.toString();
  }

  @Override
  public String absolute(String location) {
    return Path.of(location).toAbsolutePath().toString();
  }

  @Override
  public String advice(String location) {
    return "";
  }
}
