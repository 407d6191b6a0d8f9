package dev.millrace.runtime.cli;

import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.driver.ApplicationCode;
import dev.millrace.runtime.driver.ApplicationRunner;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.launch.Flags;
import dev.millrace.runtime.launch.UsageException;
import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code millrace app}, {@code example} and {@code demo}: an application run in this process, a
 * {@link StreamingApplication} through {@link ApplicationRunner} or any class with a main method.
 * {@code app --jars a.jar,b.jar} loads it from the user's jars, through the same {@link
 * ApplicationCode} a driver loads {@code spec.application.jars} with.
 */
final class AppCommand {
  private static final String EXAMPLES_PACKAGE = "dev.millrace.examples.";

  private AppCommand() {}

  /** {@code app [--jars a.jar,b.jar] <class> [options] [--] [args]}. */
  static ExitCode app(List<String> args) throws InterruptedException {
    AppFlags flags =
        Flags.parse(new AppFlags(), args, Flags.Arguments.FLAGS_BEFORE_THE_FIRST_PARAMETER);
    List<String> jars = flags.jars.stream().map(String::trim).filter(j -> !j.isEmpty()).toList();
    String className = flags.className;
    List<String> rest = flags.rest;
    if (jars.isEmpty()) {
      return runClass(className, rest, ClassLoader.getSystemClassLoader());
    }
    requireLocalJars(jars);
    try (ApplicationCode code =
        ApplicationCode.fetch(jars, StreamingOptions.hadoopConfiguration(), "app")) {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      // The engine's threads inherit it, and the record codec finds the jars' classes through it.
      thread.setContextClassLoader(code.classLoader());
      try {
        return runClass(className, rest, code.classLoader());
      } finally {
        thread.setContextClassLoader(before);
      }
    }
  }

  /** {@code example <Name> [options] [--] [args]}. */
  static ExitCode example(List<String> args) throws InterruptedException {
    ExampleFlags flags =
        Flags.parse(new ExampleFlags(), args, Flags.Arguments.FLAGS_BEFORE_THE_FIRST_PARAMETER);
    return runClass(EXAMPLES_PACKAGE + flags.name, flags.rest, ClassLoader.getSystemClassLoader());
  }

  /** {@code demo [--files N]}; refused here, before the demo starts, if they are wrong. */
  static ExitCode demo(List<String> args) {
    DemoFlags.files(args);
    return runMain(load(EXAMPLES_PACKAGE + "Demo", ClassLoader.getSystemClassLoader()), args);
  }

  /** Refuses a jar on this machine that is not there, before anything is loaded or started. */
  private static void requireLocalJars(List<String> jars) {
    for (String jar : jars) {
      Optional<Path> local = ApplicationCode.localPathOf(jar);
      if (local.isPresent() && !Files.isRegularFile(local.get())) {
        throw new UsageException(
            "--jars: "
                + jar
                + " is not a file (looked for "
                + local.get().toAbsolutePath()
                + "); build the jar (e.g. mvn package) or correct the path");
      }
    }
  }

  private static ExitCode runClass(String className, List<String> args, ClassLoader loader)
      throws InterruptedException {
    Class<?> type = load(className, loader);
    if (StreamingApplication.class.isAssignableFrom(type)) {
      StreamingApplication app = instantiate(type);
      return runApplication(app, type.getSimpleName(), RunOptions.parse(args));
    }
    return runMain(type, args);
  }

  /**
   * Runs {@code app} named {@code appName} with {@code options} until it stops; returns the exit
   * code.
   *
   * @throws IllegalArgumentException if the options are invalid (before anything starts)
   */
  private static ExitCode runApplication(
      StreamingApplication app, String appName, RunOptions options) throws InterruptedException {
    StreamingContext ssc =
        StreamingContext.builder()
            .master(options.master())
            .appName(appName)
            .batchInterval(options.batchInterval())
            .conf(options.conf())
            .build();
    app.define(ssc, options.appArgs().toArray(String[]::new));
    return ApplicationRunner.runUntilStopped(ssc);
  }

  private static ExitCode runMain(Class<?> type, List<String> args) {
    String className = type.getName();
    Method main;
    try {
      main = type.getMethod("main", String[].class);
    } catch (NoSuchMethodException e) {
      throw new UsageException(
          className + " is neither a StreamingApplication nor a class with a main method");
    }
    if (!Modifier.isStatic(main.getModifiers())) {
      throw new UsageException(className + ".main must be static");
    }
    try {
      main.invoke(null, (Object) args.toArray(String[]::new));
      return ExitCode.OK;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      Optional<ExitCode> cannotResume = ExitCode.restartCannotHelp(cause);
      if (cannotResume.isPresent()) {
        System.err.println("millrace: " + className + " cannot resume: " + cause.getMessage());
        return cannotResume.get();
      }
      if (cause instanceof ConfigurationException || cause instanceof UsageException) {
        throw new UsageException(cause.getMessage());
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(className + ".main failed", cause);
    } catch (IllegalAccessException e) {
      throw new UsageException(className + ".main is not public");
    }
  }

  private static Class<?> load(String className, ClassLoader loader) {
    try {
      return Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw new UsageException(
          "class "
              + className
              + " is not on the classpath. Examples ship in millrace-examples (bin/millrace puts"
              + " them on the classpath); give your own application's jars with --jars, before"
              + " the class name: millrace app --jars my-app.jar "
              + className);
    }
  }

  private static StreamingApplication instantiate(Class<?> type) {
    try {
      return (StreamingApplication) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new UsageException(
          type.getName() + " needs a public no-argument constructor to be run: " + e);
    }
  }
}
