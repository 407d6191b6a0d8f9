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
      "The application class, e.g. com.example.WordCount. It implements dev.millrace.streaming.StreamingApplication: through that interface the driver builds, checkpoints and supervises it.")
  @Required
  private String mainClass;

  @JsonPropertyDescription(
      "Jars with the application: local:///path (already in the image or on the machine), file:///path, hdfs:// or s3a:// URIs; millrace run also takes plain paths.")
  private List<String> jars = new ArrayList<>();

  @JsonPropertyDescription("Arguments handed to the application.")
  private List<String> args = new ArrayList<>();

  @JsonPropertyDescription(
      "Engine settings, e.g. millrace.default.parallelism: \"4\". Checkpoint and stop settings are spec fields (checkpoint, gracefulStopTimeout), not conf keys.")
  private Map<String, String> conf = new LinkedHashMap<>();

  /**
   * The application class, e.g. {@code com.example.WordCount}. It implements {@code
   * dev.millrace.streaming.StreamingApplication}: through that interface the driver builds,
   * checkpoints and supervises it.
   */
  public String getMainClass() {
    return mainClass;
  }

  /** Sets {@link #getMainClass()}. */
  public void setMainClass(String mainClass) {
    this.mainClass = mainClass;
  }

  /**
   * Jars with the application: {@code local:///path} (already in the image or on the machine),
   * {@code file:///path}, {@code hdfs://} or {@code s3a://} URIs; {@code millrace run} also takes
   * plain paths.
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

  /**
   * Engine settings, e.g. {@code millrace.default.parallelism: "4"}. Checkpoint and stop settings
   * are spec fields ({@code checkpoint}, {@code gracefulStopTimeout}), not conf keys.
   */
  public Map<String, String> getConf() {
    return conf;
  }

  /** Sets {@link #getConf()}. */
  public void setConf(Map<String, String> conf) {
    this.conf = conf;
  }
}
