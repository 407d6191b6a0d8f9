package dev.millrace.runtime.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The flags of {@code millrace submit}, declared once each. The YARN client ({@code
 * dev.millrace.yarn.YarnCli}) reads them; they live here so that {@code millrace help} explains
 * them on a machine without YARN.
 */
@Command(
    name = "submit",
    description =
        """
        (YARN, through bin/millrace) validate the StreamingApp, stage it and the Millrace jars
        on the cluster's file system, start its ApplicationMaster; prints the application id.
        Needs HADOOP_CONF_DIR""")
public final class SubmitFlags {
  @Option(
      names = "--master",
      paramLabel = "yarn",
      required = true,
      description = "where to run it: yarn; to run on this machine use 'millrace run app.yaml'")
  public String master;

  @Option(
      names = "--queue",
      paramLabel = "Q",
      description = "the YARN queue (default: the cluster's)")
  public String queue;

  @Option(
      names = "--java-home",
      paramLabel = "DIR",
      description =
          "the Java 17+ home on every NodeManager host that runs the containers"
              + " (spec.yarn.javaHome; default the NodeManager's JAVA_HOME)")
  public String javaHome;

  @Option(
      names = "--am-memory",
      paramLabel = "M",
      description = "the ApplicationMaster's memory (spec.yarn.amMemory, default 512Mi)")
  public String amMemory;

  @Option(names = "--wait", description = "follow the application to its end")
  public boolean await;

  @Parameters(
      index = "0",
      arity = "1",
      paramLabel = "app.yaml",
      description = "the StreamingApp spec to submit")
  public Path spec;
}
