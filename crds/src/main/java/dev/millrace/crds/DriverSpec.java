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

/** The driver process's resources. */
public class DriverSpec {
  @JsonPropertyDescription(
      "CPU cores; in a driver without executors, also the number of task threads.")
  @Min(1)
  @Default("1")
  private Integer cores = 1;

  @JsonPropertyDescription(
      "Memory, at least 256Mi, e.g. 1Gi: the container's limit; the JVM heap gets most of it.")
  @Default("1Gi")
  @Pattern(SpecMemory.PATTERN)
  private String memory = "1Gi";

  @JsonPropertyDescription(
      "Environment variables, named with letters, digits, '_', '-' and '.'; valueFrom works on Kubernetes only.")
  private List<EnvVar> env = new ArrayList<>();

  @JsonPropertyDescription("Kubernetes service account of the driver pod.")
  private String serviceAccount;

  @JsonPropertyDescription("A pod template merged into the driver pod (Kubernetes only).")
  @PreserveUnknownFields
  @SchemaFrom(type = FreeFormObject.class)
  private PodTemplateSpec podTemplate;

  /** CPU cores; in a driver without executors, also the number of task threads. */
  public Integer getCores() {
    return cores;
  }

  /** Sets {@link #getCores()}. */
  public void setCores(Integer cores) {
    this.cores = cores;
  }

  /**
   * Memory, at least {@code 256Mi}, e.g. {@code 1Gi}: the container's limit; the JVM heap gets most
   * of it.
   */
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

  /** Kubernetes service account of the driver pod. */
  public String getServiceAccount() {
    return serviceAccount;
  }

  /** Sets {@link #getServiceAccount()}. */
  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = serviceAccount;
  }

  /** A pod template merged into the driver pod (Kubernetes only). */
  public PodTemplateSpec getPodTemplate() {
    return podTemplate;
  }

  /** Sets {@link #getPodTemplate()}. */
  public void setPodTemplate(PodTemplateSpec podTemplate) {
    this.podTemplate = podTemplate;
  }
}
