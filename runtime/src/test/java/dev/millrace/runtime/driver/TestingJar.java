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

/**
 * Jars the driver tests build: one holding a text resource, to see which jars a class loader reads,
 * and one holding an application class, for a driver whose class path does not.
 */
final class TestingJar {
  private TestingJar() {}

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
  static Path classesDirectory(Class<?> type) {
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
