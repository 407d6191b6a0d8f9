package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/**
 * What only {@code millrace submit --master yarn} uses: the Java of the containers and the
 * ApplicationMaster's memory. Kubernetes takes Java from the image and {@code millrace run} runs
 * its processes with its own Java, so both ignore it.
 */
public class YarnSpec {
  @JsonPropertyDescription(
      "YARN only: the Java 17+ home every container runs <javaHome>/bin/java from (the ApplicationMaster, the driver and the executors), an absolute path present on every NodeManager host, e.g. /usr/lib/jvm/java-17-openjdk; unset, the NodeManager's JAVA_HOME, often an older Java. Kubernetes uses the image's Java, millrace run its own.")
  @Pattern(JAVA_HOME_PATTERN)
  private String javaHome;

  @JsonPropertyDescription(
      "YARN only: the ApplicationMaster container's memory, at least 256Mi, e.g. 1Gi; its heap is the memory less max(384Mi, 10%), at least half of it.")
  @Default(DEFAULT_AM_MEMORY)
  @Pattern(SpecMemory.PATTERN)
  private String amMemory = DEFAULT_AM_MEMORY;

  /** An absolute path. */
  public static final String JAVA_HOME_PATTERN = "^/.*$";

  /** The ApplicationMaster's memory unless the spec or {@code --am-memory} says otherwise. */
  public static final String DEFAULT_AM_MEMORY = "512Mi";

  /**
   * YARN only: the Java 17+ home every container runs {@code <javaHome>/bin/java} from (the
   * ApplicationMaster, the driver and the executors), an absolute path present on every NodeManager
   * host; {@code null} for the NodeManager's {@code JAVA_HOME}.
   */
  public String getJavaHome() {
    return javaHome;
  }

  /** Sets {@link #getJavaHome()}. */
  public void setJavaHome(String javaHome) {
    this.javaHome = javaHome;
  }

  /** YARN only: the ApplicationMaster container's memory, at least {@code 256Mi}. */
  public String getAmMemory() {
    return amMemory;
  }

  /** Sets {@link #getAmMemory()}. */
  public void setAmMemory(String amMemory) {
    this.amMemory = amMemory;
  }
}
