package dev.millrace.runtime.driver;

import dev.millrace.streaming.StreamingApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application's jars, fetched and loaded: {@code local://} and {@code file://} URIs and plain
 * paths are used where they are, any other URI ({@code hdfs://}, {@code s3a://}) is copied through
 * the Hadoop file system into a directory of this driver attempt. A class loader over the jars,
 * whose parent is the system class loader, loads the main class. Closing it closes the loader and
 * deletes the copies.
 */
public final class ApplicationCode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationCode.class);

  // A scheme, then "://" or ":/": what distinguishes a URI from a plain path.
  private static final Pattern URI_WITH_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:/.*");

  private final List<String> jars;
  private final URLClassLoader loader;
  private final Path copies;

  private ApplicationCode(List<String> jars, URLClassLoader loader, Path copies) {
    this.jars = jars;
    this.loader = loader;
    this.copies = copies;
  }

  /**
   * Fetches {@code jars}, copying remote ones with {@code hadoop} into a new directory named after
   * {@code attempt}.
   *
   * @throws DriverConfigurationException naming a jar that is missing or unreadable
   */
  public static ApplicationCode fetch(List<String> jars, Configuration hadoop, String attempt) {
    List<URL> urls = new ArrayList<>();
    Path copies = null;
    try {
      for (String jar : jars) {
        Path local = localPath(jar);
        if (local == null) {
          if (copies == null) {
            copies = createDirectory("millrace-" + attempt + "-jars-");
          }
          URI uri = URI.create(jar);
          local = copy(jar, uri, copies.resolve(urls.size() + "-" + fileName(uri)), hadoop);
        }
        checkJar(jar, local);
        urls.add(url(local));
      }
    } catch (RuntimeException e) {
      deleteCopies(copies);
      throw e;
    }
    LOG.info("application jars: {}", jars.isEmpty() ? "none (the driver's class path)" : jars);
    URLClassLoader loader =
        new URLClassLoader(
            "millrace-application", urls.toArray(URL[]::new), ClassLoader.getSystemClassLoader());
    return new ApplicationCode(List.copyOf(jars), loader, copies);
  }

  /**
   * Where {@code jar} is on this machine, for a plain path and a {@code local://} or {@code
   * file://} URI; empty for one to fetch ({@code hdfs://}, {@code s3a://}).
   *
   * @throws DriverConfigurationException if it is not a valid URI or names no path
   */
  public static Optional<Path> localPathOf(String jar) {
    return Optional.ofNullable(localPath(jar));
  }

  /** Where {@code jar} is on this machine, or null if it must be fetched. */
  private static Path localPath(String jar) {
    if (!URI_WITH_SCHEME.matcher(jar).matches()) {
      return Path.of(jar);
    }
    URI uri;
    try {
      uri = new URI(jar);
    } catch (URISyntaxException e) {
      throw new DriverConfigurationException(
          "application jar " + jar + " is not a valid URI: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme();
    if (scheme.equals("local") || scheme.equals("file")) {
      if (uri.getPath() == null || uri.getPath().isEmpty()) {
        throw new DriverConfigurationException(
            "application jar " + jar + " names no path; write " + scheme + ":///path/to/app.jar");
      }
      return Path.of(uri.getPath());
    }
    return null;
  }

  private static Path createDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the application's jars", e);
    }
  }

  private static URL url(Path local) {
    try {
      return local.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException("a file path always makes a URL: " + local, e);
    }
  }

  private static Path copy(String jar, URI uri, Path target, Configuration hadoop) {
    org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
    try {
      FileSystem fs = source.getFileSystem(hadoop);
      fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(target.toUri()), true);
    } catch (IOException | RuntimeException e) {
      throw new DriverConfigurationException(
          "application jar "
              + jar
              + " cannot be fetched: "
              + e
              + ". Check the URI, that the file system is reachable, and its millrace.hadoop.*"
              + " settings in spec.application.conf.",
          e);
    }
    LOG.info("fetched application jar {} to {}", jar, target);
    return target;
  }

  private static void checkJar(String jar, Path local) {
    if (!Files.isRegularFile(local) || !Files.isReadable(local)) {
      throw new DriverConfigurationException(
          "application jar "
              + jar
              + " is not a readable file at "
              + local
              + "; check spec.application.jars (local:// names a file already on the driver's"
              + " machine or image)");
    }
    try {
      // Opening reads the central directory: a truncated or non-jar file fails here, not later.
      new JarFile(local.toFile()).close();
    } catch (IOException e) {
      throw new DriverConfigurationException(
          "application jar " + jar + " cannot be read as a jar: " + e.getMessage(), e);
    }
  }

  private static String fileName(URI uri) {
    String path = uri.getPath();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    return name.isEmpty() ? "application.jar" : name;
  }

  /** The class loader of the application's classes. */
  public ClassLoader classLoader() {
    return loader;
  }

  /**
   * A new instance of {@code mainClass}, which must implement {@link StreamingApplication} and have
   * a public no-argument constructor.
   *
   * @throws DriverConfigurationException if it cannot be found, is no StreamingApplication, or
   *     cannot be created
   */
  StreamingApplication instantiate(String mainClass) {
    if (mainClass == null || mainClass.isBlank()) {
      throw new DriverConfigurationException(
          "spec.application.mainClass is required: the StreamingApplication class to run");
    }
    Class<?> type;
    try {
      type = Class.forName(mainClass, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new DriverConfigurationException(
          "main class "
              + mainClass
              + (e instanceof ClassNotFoundException
                  ? " is not in "
                  : " cannot be loaded (" + e + ") from ")
              + (jars.isEmpty() ? "the driver's class path" : "the jars " + jars)
              + "; check spec.application.mainClass and spec.application.jars",
          e);
    }
    if (!StreamingApplication.class.isAssignableFrom(type)) {
      throw new DriverConfigurationException(
          "main class "
              + mainClass
              + " does not implement "
              + StreamingApplication.class.getName()
              + ". A driver runs a StreamingApplication: implement define(ssc, args) to build the"
              + " graph on the context the driver gives it (a class with a main method can run"
              + " with 'millrace app').");
    }
    try {
      return (StreamingApplication) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new DriverConfigurationException(
          "main class "
              + mainClass
              + " cannot be created: it needs a public no-argument constructor that succeeds ("
              + cause
              + ")",
          e);
    }
  }

  /** Closes the class loader and deletes the fetched copies. */
  @Override
  public void close() {
    try {
      loader.close();
    } catch (IOException e) {
      LOG.warn("closing the application's class loader failed: {}", e.toString());
    }
    deleteCopies(copies);
  }

  private static void deleteCopies(Path copies) {
    if (copies == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(copies)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("could not delete the fetched jars in {}: {}", copies, e.toString());
    }
  }
}
