package dev.millrace.runtime.driver;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** A jar holding one text resource, to see which jars a class loader reads. */
final class TestingJar {
  private TestingJar() {}

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
