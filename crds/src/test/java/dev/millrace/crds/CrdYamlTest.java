package dev.millrace.crds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The committed CRD is the generated one, and it has what kubectl users rely on. */
class CrdYamlTest {
  /** Relative to the module folder, where Surefire runs the tests. */
  static final Path COMMITTED = Path.of("streamingapps.millrace.dev-v1.yml");

  static final Path GENERATED =
      Path.of("target/classes/META-INF/fabric8/streamingapps.millrace.dev-v1.yml");

  /** Item schemas of Kubernetes' own types (EnvVar, Condition): their fields are not ours. */
  private static final Set<String> FOREIGN_ITEMS =
      Set.of("spec.driver.env[]", "spec.executor.env[]", "status.conditions[]");

  static JsonNode crd() throws IOException {
    return new YAMLMapper().readTree(COMMITTED.toFile());
  }

  static JsonNode openApiSchema() throws IOException {
    return crd().at("/spec/versions/0/schema/openAPIV3Schema");
  }

  @Test
  void committedCrdIsTheGeneratedOne() throws IOException {
    List<String> committed = Files.readAllLines(COMMITTED);
    List<String> generated = Files.readAllLines(GENERATED);
    String difference = firstDifference(committed, generated);
    if (difference != null) {
      fail(
          "crds/"
              + COMMITTED
              + " is not the CRD the model generates. Regenerate it and commit the copy:\n"
              + "  mvn -pl crds process-classes && cp crds/"
              + GENERATED
              + " crds/"
              + COMMITTED
              + "\n"
              + difference);
    }
  }

  @Test
  void crdNamesGroupVersionKindPluralAndShortName() throws IOException {
    JsonNode spec = crd().get("spec");
    assertEquals("streamingapps.millrace.dev", crd().at("/metadata/name").asText());
    assertEquals("millrace.dev", spec.get("group").asText());
    assertEquals("Namespaced", spec.get("scope").asText());
    assertEquals("StreamingApp", spec.at("/names/kind").asText());
    assertEquals("streamingapps", spec.at("/names/plural").asText());
    assertEquals("sapp", spec.at("/names/shortNames/0").asText());
    assertEquals("v1alpha1", spec.at("/versions/0/name").asText());
    assertTrue(spec.at("/versions/0/served").asBoolean());
    assertTrue(spec.at("/versions/0/storage").asBoolean());
  }

  @Test
  void statusIsASubresource() throws IOException {
    assertTrue(crd().at("/spec/versions/0/subresources/status").isObject());
  }

  @Test
  void kubectlGetShowsPhaseAttemptLastBatchAndAge() throws IOException {
    Map<String, String> columns = new java.util.LinkedHashMap<>();
    crd()
        .at("/spec/versions/0/additionalPrinterColumns")
        .forEach(c -> columns.put(c.get("name").asText(), c.get("jsonPath").asText()));
    assertEquals(".status.phase", columns.get("Phase"), columns.toString());
    assertEquals(".status.driver.attempt", columns.get("Attempt"), columns.toString());
    assertEquals(
        ".status.batches.lastCompletedTime", columns.get("Last Batch"), columns.toString());
    assertEquals(".metadata.creationTimestamp", columns.get("Age"), columns.toString());
  }

  @Test
  void everyPropertyHasADescription() throws IOException {
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(openApiSchema(), "", undocumented);
    assertEquals(
        List.of(),
        undocumented,
        "add @JsonPropertyDescription to these fields, so that kubectl explain describes them");
  }

  private static void collectUndocumented(JsonNode schema, String path, List<String> out) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            property -> {
              String child = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
              if (!property.getValue().hasNonNull("description")) {
                out.add(child);
              }
              collectUndocumented(property.getValue(), child, out);
            });
    if (schema.has("items") && !FOREIGN_ITEMS.contains(path + "[]")) {
      collectUndocumented(schema.get("items"), path + "[]", out);
    }
  }

  /** The first differing line with two lines of context, or null if the files are equal. */
  private static String firstDifference(List<String> committed, List<String> generated) {
    int line = 0;
    while (line < committed.size()
        && line < generated.size()
        && committed.get(line).equals(generated.get(line))) {
      line++;
    }
    if (line == committed.size() && line == generated.size()) {
      return null;
    }
    StringBuilder diff =
        new StringBuilder("first difference at line ")
            .append(line + 1)
            .append(" (- committed, + generated):\n");
    for (int i = Math.max(0, line - 2); i < line; i++) {
      diff.append("   ").append(committed.get(i)).append('\n');
    }
    diff.append(" - ").append(lineOrEnd(committed, line)).append('\n');
    diff.append(" + ").append(lineOrEnd(generated, line));
    return diff.toString();
  }

  private static String lineOrEnd(List<String> lines, int index) {
    return index < lines.size() ? lines.get(index) : "(end of file)";
  }
}
