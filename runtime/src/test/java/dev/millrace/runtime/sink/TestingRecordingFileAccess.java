package dev.millrace.runtime.sink;

import dev.millrace.runtime.fs.FileAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A real {@link FileAccess} that also records the files created and the renames done through it, in
 * order, as {@code create <file>} and {@code rename <from> <to>}: what a reader of the file system
 * could see appear, and when.
 */
final class TestingRecordingFileAccess implements FileAccess {
  private final FileAccess fs;
  private final List<String> operations = Collections.synchronizedList(new ArrayList<>());

  TestingRecordingFileAccess(FileAccess fs) {
    this.fs = fs;
  }

  /** The creates and renames so far, in order. */
  List<String> operations() {
    synchronized (operations) {
      return List.copyOf(operations);
    }
  }

  @Override
  public String normalize(String location) {
    return fs.normalize(location);
  }

  @Override
  public List<Entry> list(String dir) throws IOException {
    return fs.list(dir);
  }

  @Override
  public List<String> names(String dir) throws IOException {
    return fs.names(dir);
  }

  @Override
  public InputStream open(String file, long offset) throws IOException {
    return fs.open(file, offset);
  }

  @Override
  public OutputStream create(String file) throws IOException {
    operations.add("create " + file);
    return fs.create(file);
  }

  @Override
  public OutputStream createFlushable(String file) throws IOException {
    operations.add("create " + file);
    return fs.createFlushable(file);
  }

  @Override
  public void createDirectories(String dir) throws IOException {
    fs.createDirectories(dir);
  }

  @Override
  public void createDirectory(String dir) throws IOException {
    fs.createDirectory(dir);
  }

  @Override
  public boolean exists(String location) throws IOException {
    return fs.exists(location);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    operations.add("rename " + from + " " + to);
    fs.rename(from, to);
  }

  @Override
  public boolean renamesDirectoriesAtomically() {
    return fs.renamesDirectoriesAtomically();
  }

  @Override
  public void deleteRecursively(String location) throws IOException {
    fs.deleteRecursively(location);
  }

  @Override
  public String resolve(String dir, String name) {
    return fs.resolve(dir, name);
  }

  @Override
  public String parent(String location) {
    return fs.parent(location);
  }

  @Override
  public String name(String location) {
    return fs.name(location);
  }

  @Override
  public String absolute(String location) {
    return fs.absolute(location);
  }

  @Override
  public String advice(String location) {
    return fs.advice(location);
  }
}
