package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.List;

/** The executor processes' resources. */
public class ExecutorSpec {
  @JsonPropertyDescription("Executor processes; 0 runs every task in the driver.")
  @Min(0)
  @Default("0")
  private Integer instances = 0;

  @JsonPropertyDescription("CPU cores per executor.")
  @Min(1)
  @Default("1")
  private Integer cores = 1;

  @JsonPropertyDescription("Memory per executor, at least 256Mi, e.g. 1Gi.")
  @Default("1Gi")
  @Pattern(SpecMemory.PATTERN)
  private String memory = "1Gi";

  @JsonPropertyDescription(
      "Environment variables, named with letters, digits, '_', '-' and '.'; valueFrom works on Kubernetes only.")
  private List<EnvVar> env = new ArrayList<>();

  @JsonPropertyDescription("A pod template merged into executor pods (Kubernetes only).")
  @PreserveUnknownFields
  @SchemaFrom(type = FreeFormObject.class)
  private PodTemplateSpec podTemplate;

  /** Executor processes; {@code 0} runs every task in the driver. */
  public Integer getInstances() {
    return instances;
  }

  /** Sets {@link #getInstances()}. */
  public void setInstances(Integer instances) {
    this.instances = instances;
  }

  /** CPU cores per executor. */
  public Integer getCores() {
    return cores;
  }

  /** Sets {@link #getCores()}. */
  public void setCores(Integer cores) {
    this.cores = cores;
  }

  /** Memory per executor, at least {@code 256Mi}, e.g. {@code 1Gi}. */
  public String getMemory() {
    return memory;
  }

  /** Sets {@link #getMemory()}. */
  public void setMemory(String memory) {
    this.memory = memory;
  }

  /**
   * Environment variables, named with letters, digits, {@code _}, {@code -} and {@code .}; {@code
   * valueFrom} works on Kubernetes only.
   */
  public List<EnvVar> getEnv() {
    return env;
  }

  /** Sets {@link #getEnv()}. */
  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  /** A pod template merged into executor pods (Kubernetes only). */
  public PodTemplateSpec getPodTemplate() {
    return podTemplate;
  }

  /** Sets {@link #getPodTemplate()}. */
  public void setPodTemplate(PodTemplateSpec podTemplate) {
    this.podTemplate = podTemplate;
  }
}
