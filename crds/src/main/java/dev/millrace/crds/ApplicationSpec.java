package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The application a {@link StreamingApp} runs. */
public class ApplicationSpec {
  @JsonPropertyDescription(
      "A StreamingApplication class, or a class with a main method that uses StreamingContext.getOrCreate.")
  @Required
  private String mainClass;

  @JsonPropertyDescription(
      "Jars with the application: local:// (already in the image or on the machine), file://, hdfs:// or s3a:// URIs.")
  private List<String> jars = new ArrayList<>();

  @JsonPropertyDescription("Arguments handed to the application.")
  private List<String> args = new ArrayList<>();

  @JsonPropertyDescription("Engine settings, e.g. millrace.default.parallelism: \"4\".")
  private Map<String, String> conf = new LinkedHashMap<>();

  /**
   * A {@code StreamingApplication} class, or a class with a {@code main} method that uses {@code
   * StreamingContext.getOrCreate}.
   */
  public String getMainClass() {
    return mainClass;
  }

  /** Sets {@link #getMainClass()}. */
  public void setMainClass(String mainClass) {
    this.mainClass = mainClass;
  }

  /**
   * Jars with the application: {@code local://} (already in the image or on the machine), {@code
   * file://}, {@code hdfs://} or {@code s3a://} URIs.
   */
  public List<String> getJars() {
    return jars;
  }

  /** Sets {@link #getJars()}. */
  public void setJars(List<String> jars) {
    this.jars = jars;
  }

  /** Arguments handed to the application. */
  public List<String> getArgs() {
    return args;
  }

  /** Sets {@link #getArgs()}. */
  public void setArgs(List<String> args) {
    this.args = args;
  }

  /** Engine settings, e.g. {@code millrace.default.parallelism: "4"}. */
  public Map<String, String> getConf() {
    return conf;
  }

  /** Sets {@link #getConf()}. */
  public void setConf(Map<String, String> conf) {
    this.conf = conf;
  }
}
