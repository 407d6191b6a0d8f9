package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A 24/7 streaming application: the one resource every backend runs ({@code kubectl apply}, {@code
 * millrace run}, {@code millrace submit --master yarn}).
 */
@Group(StreamingApp.GROUP)
@Version(StreamingApp.VERSION)
@Kind("StreamingApp")
@Plural("streamingapps")
@ShortNames("sapp")
// Phase, Attempt, Restarts and Last Batch are printer columns on the status fields. The generator
// orders all columns, class-level ones too, by JSON path, so kubectl shows Age, Last Batch,
// Attempt, Phase, Restarts.
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class StreamingApp extends CustomResource<StreamingAppSpec, StreamingAppStatus>
    implements Namespaced {
  /** The API group. */
  public static final String GROUP = "millrace.dev";

  /** The API version within {@link #GROUP}. */
  public static final String VERSION = "v1alpha1";

  // Overridden only to describe spec and status in the CRD (kubectl explain streamingapp).
  @Override
  @JsonPropertyDescription(
      "What to run and how to keep it running: the same spec serves kubectl apply, millrace run and millrace submit --master yarn.")
  public StreamingAppSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the backend running the application last observed; read-only.")
  public StreamingAppStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected StreamingAppSpec initSpec() {
    return new StreamingAppSpec();
  }

  @Override
  protected StreamingAppStatus initStatus() {
    return new StreamingAppStatus();
  }
}
