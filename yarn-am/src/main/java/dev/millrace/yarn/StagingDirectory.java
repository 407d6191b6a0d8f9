package dev.millrace.yarn;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.URL;

/**
 * An application's files on the cluster's file system, {@code <home>/.millrace-staging/<app id>/}:
 * {@code lib/} with the Millrace class path (directories packed into jars) and the Hadoop client
 * configuration as a jar, {@code app-jars/} with the application's {@code file://} jars, and the
 * spec as {@code app.yaml}. Every container localizes {@code lib/} and the spec; the
 * ApplicationMaster deletes the directory when the application ends. {@code am/stop-token} holds
 * the application's {@link StopToken}, readable by the submitting user alone.
 *
 * <p>While the application runs it also holds what its processes publish for each other: {@code
 * driver/executors.address} and {@code driver/status.address}, where the current driver attempt
 * listens (executors and the ApplicationMaster read them), and {@code am/ledger.json}, what the
 * ApplicationMaster leaves for its next attempt ({@link AmLedger}). Each is replaced whole, by a
 * rename, so that a reader never sees half of one.
 */
final class StagingDirectory {
  /** The spec's name in the staging directory and in every container's working directory. */
  static final String SPEC_NAME = "app.yaml";

  /** Where the current driver attempt accepts executors: {@code host:port}. */
  static final String DRIVER_EXECUTORS_ADDRESS = "driver/executors.address";

  /** Where the current driver attempt serves its status: {@code host:port}. */
  static final String DRIVER_STATUS_ADDRESS = "driver/status.address";

  /** The ApplicationMaster's ledger. */
  static final String LEDGER = "am/ledger.json";

  /** The client's copy of the application's stop token. */
  static final String STOP_TOKEN = "am/stop-token";

  /** Read and written by the submitting user alone. */
  static final FsPermission OWNER_ONLY = new FsPermission((short) 0600);

  private static final String LIB = "lib";
  private static final String APP_JARS = "app-jars";

  private final FileSystem fs;
  private final org.apache.hadoop.fs.Path dir;

  private StagingDirectory(FileSystem fs, org.apache.hadoop.fs.Path dir) {
    this.fs = fs;
    this.dir = fs.makeQualified(dir);
  }

  private static final String ROOT = ".millrace-staging";

  /** The staging directory of application {@code appId} under the user's home. */
  static StagingDirectory forApplication(FileSystem fs, String appId) {
    return new StagingDirectory(
        fs, new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ROOT + "/" + appId));
  }

  /** The names (application ids) of every staging directory under the user's home. */
  static List<String> applicationIds(FileSystem fs) throws IOException {
    List<String> ids = new ArrayList<>();
    try {
      for (FileStatus dir :
          fs.listStatus(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ROOT))) {
        if (dir.isDirectory()) {
          ids.add(dir.getPath().getName());
        }
      }
    } catch (FileNotFoundException e) {
      // nothing was ever staged
    }
    return ids;
  }

  /** A directory staged before, as the ApplicationMaster finds it. */
  static StagingDirectory existing(FileSystem fs, org.apache.hadoop.fs.Path dir) {
    return new StagingDirectory(fs, dir);
  }

  /** Its fully qualified URI, e.g. {@code hdfs://nn:8020/user/me/.millrace-staging/app_1_0001}. */
  String uri() {
    return dir.toString();
  }

  /** Whether it exists. */
  boolean exists() throws IOException {
    return fs.exists(dir);
  }

  /**
   * Uploads {@code classPath} (jars as they are, directories packed into jars) and {@code conf} as
   * the {@code *-site.xml} files of a jar, so that every container's Hadoop clients find this
   * cluster.
   */
  void stageClassPath(List<Path> classPath, Configuration conf) throws IOException {
    fs.mkdirs(new org.apache.hadoop.fs.Path(dir, LIB));
    ByteArrayOutputStream xml = new ByteArrayOutputStream();
    conf.writeXml(xml);
    // As each *-site.xml: a YarnConfiguration reads yarn-default.xml after core-site.xml, so the
    // cluster's addresses must come in the file read last.
    byte[] site = xml.toByteArray();
    write(
        lib(0, "hadoop-conf.jar"),
        jarOf(Map.of("core-site.xml", site, "hdfs-site.xml", site, "yarn-site.xml", site)));
    int index = 1;
    for (Path entry : classPath) {
      if (Files.isDirectory(entry)) {
        write(lib(index++, entry.getFileName() + ".jar"), jarOf(entry));
      } else if (Files.isRegularFile(entry)) {
        fs.copyFromLocalFile(
            new org.apache.hadoop.fs.Path(entry.toUri()),
            lib(index++, entry.getFileName().toString()));
      }
    }
  }

  /**
   * Keeps {@code token} for {@code millrace stop}, in a file only the submitting user can read: it
   * is created with that permission, so it is never readable by others, even for a moment.
   */
  void writeStopToken(StopToken token) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir, STOP_TOKEN);
    try (FSDataOutputStream out =
        fs.create(
            path,
            OWNER_ONLY,
            false,
            4096,
            fs.getDefaultReplication(path),
            fs.getDefaultBlockSize(path),
            null)) {
      out.write(token.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    // A file system that ignores the permission at creation (the local one) gets it now.
    fs.setPermission(path, OWNER_ONLY);
  }

  /**
   * The application's stop token.
   *
   * @throws IOException if it cannot be read: another user's application, or one submitted by an
   *     older client
   */
  StopToken readStopToken() throws IOException {
    try (FSDataInputStream in = fs.open(new org.apache.hadoop.fs.Path(dir, STOP_TOKEN))) {
      return StopToken.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Uploads an application jar from this machine; returns its URI on the cluster. */
  String stageApplicationJar(int index, Path jar) throws IOException {
    org.apache.hadoop.fs.Path target =
        new org.apache.hadoop.fs.Path(dir, APP_JARS + "/" + index + "-" + jar.getFileName());
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(jar.toUri()), target);
    return target.toString();
  }

  /** Writes the spec every container runs. */
  void stageSpec(String yaml) throws IOException {
    write(
        new org.apache.hadoop.fs.Path(dir, SPEC_NAME),
        yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** What every container localizes: each jar of {@code lib/} by its name, and the spec. */
  Map<String, LocalResource> localResources() throws IOException {
    Map<String, LocalResource> resources = new LinkedHashMap<>();
    for (FileStatus jar : fs.listStatus(new org.apache.hadoop.fs.Path(dir, LIB))) {
      resources.put(jar.getPath().getName(), resource(jar));
    }
    resources.put(
        SPEC_NAME, resource(fs.getFileStatus(new org.apache.hadoop.fs.Path(dir, SPEC_NAME))));
    return resources;
  }

  /** The fully qualified URI of {@code name} in it. */
  String uri(String name) {
    return new org.apache.hadoop.fs.Path(dir, name).toString();
  }

  /**
   * Replaces {@code name} with {@code bytes} at once: written beside it, then renamed over it, so
   * that a reader sees the old content or the new, never a part.
   */
  void publish(String name, byte[] bytes) throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir, name);
    org.apache.hadoop.fs.Path written =
        new org.apache.hadoop.fs.Path(
            target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    write(written, bytes);
    try {
      FileContext.getFileContext(fs.getUri(), fs.getConf())
          .rename(written, target, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      fs.delete(written, false);
      throw e;
    }
  }

  /** The content of {@code name}, or empty if there is no such file. */
  Optional<byte[]> read(String name) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir, name);
    try (FSDataInputStream in = fs.open(path)) {
      return Optional.of(in.readAllBytes());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Deletes it and everything in it. */
  void delete() throws IOException {
    fs.delete(dir, true);
  }

  private static LocalResource resource(FileStatus file) {
    return LocalResource.newInstance(
        URL.fromPath(file.getPath()),
        LocalResourceType.FILE,
        LocalResourceVisibility.APPLICATION,
        file.getLen(),
        file.getModificationTime());
  }

  // Numbered, so that two jars of one name (two 'classes' directories) stay apart.
  private org.apache.hadoop.fs.Path lib(int index, String name) {
    return new org.apache.hadoop.fs.Path(dir, LIB + "/" + String.format("%03d-%s", index, name));
  }

  private void write(org.apache.hadoop.fs.Path path, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(path, true)) {
      out.write(bytes);
    }
  }

  private static byte[] jarOf(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        jar.putNextEntry(new JarEntry(e.getKey()));
        jar.write(e.getValue());
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] jarOf(Path directory) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes);
        Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = directory.relativize(file).toString().replace('\\', '/');
        jar.putNextEntry(new JarEntry(name));
        Files.copy(file, (OutputStream) jar);
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
