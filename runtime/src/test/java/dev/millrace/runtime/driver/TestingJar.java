package dev.millrace.runtime.driver;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Jars made by tests: one holding a text resource, to see which jars a class loader reads, one
 * holding an application class, for a driver whose class path does not, and one compiled from
 * source, whose classes are on no class path but the jar's.
 */
public final class TestingJar {
  private TestingJar() {}

  /**
   * Compiles {@code source}, the Java source of class {@code className}, against this JVM's class
   * path, writes its classes to {@code jar} and returns it.
   */
  public static Path compiled(Path jar, String className, String source) throws IOException {
    Path work = Files.createTempDirectory(jar.getParent(), ".compile-");
    Path sourceFile = work.resolve("src").resolve(className.replace('.', '/') + ".java");
    Files.createDirectories(sourceFile.getParent());
    Files.writeString(sourceFile, source);
    Path classes = Files.createDirectories(work.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status =
        javac.run(
            null,
            null,
            null,
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            sourceFile.toString());
    if (status != 0) {
      throw new IllegalStateException("javac failed on " + sourceFile + " with status " + status);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /**
   * Writes {@code jar} with the class file of {@code type} and of its nested classes, taken from
   * the directory of compiled classes that holds it, and returns it.
   */
  static Path ofClass(Class<?> type, Path jar) throws IOException {
    String name = type.getName().replace('.', '/');
    Path dir = classesDirectory(type).resolve(name).getParent();
    String simple = type.getSimpleName();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> classes = Files.list(dir)) {
      for (Path file : classes.toList()) {
        String fileName = file.getFileName().toString();
        if (fileName.equals(simple + ".class") || fileName.startsWith(simple + "$")) {
          out.putNextEntry(new JarEntry(name.substring(0, name.lastIndexOf('/') + 1) + fileName));
          Files.copy(file, out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  /** The directory of compiled classes, or the jar, that {@code type} was loaded from. */
  public static Path classesDirectory(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code jar} with the resource {@code name} holding {@code text}, and returns it. */
  static Path withResource(Path jar, String name, String text) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(name));
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  /** The text of resource {@code name} as {@code loader} finds it, or null. */
  static String read(ClassLoader loader, String name) throws IOException {
    try (var in = loader.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The jar from which {@code loader} reads resource {@code name}. */
  static Path jarOf(ClassLoader loader, String name) {
    // jar:file:/path/to/app.jar!/name
    String where = loader.getResource(name).getPath();
    return Path.of(URI.create(where.substring(0, where.indexOf("!/"))));
  }
}
