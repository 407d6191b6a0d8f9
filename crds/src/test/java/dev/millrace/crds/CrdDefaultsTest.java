package dev.millrace.crds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply} fills in the CRD's defaults, {@code millrace run} the Java POJOs' defaults:
 * they must be the same values, or one spec would behave differently on Kubernetes.
 */
class CrdDefaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyCrdDefaultIsTheJavaDefault() throws IOException {
    List<String> mismatches = new ArrayList<>();
    compareCrdDefaults(
        CrdYamlTest.openApiSchema(), JSON.valueToTree(new StreamingApp()), "", mismatches);
    assertEquals(List.of(), mismatches);
  }

  @Test
  void everyJavaDefaultOfTheSpecIsACrdDefault() throws IOException {
    List<String> missing = new ArrayList<>();
    compareJavaDefaults(
        JSON.valueToTree(new StreamingAppSpec()),
        CrdYamlTest.openApiSchema().at("/properties/spec"),
        "spec",
        missing);
    assertEquals(List.of(), missing, "add @Default with the Java value to these fields");
  }

  private static void compareCrdDefaults(
      JsonNode schema, JsonNode java, String path, List<String> out) {
    if (schema.has("default") && !schema.get("default").equals(java)) {
      out.add(path + ": the CRD default is " + schema.get("default") + ", Java's is " + java);
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            property ->
                compareCrdDefaults(
                    property.getValue(),
                    java.path(property.getKey()),
                    path.isEmpty() ? property.getKey() : path + "." + property.getKey(),
                    out));
  }

  private static void compareJavaDefaults(
      JsonNode java, JsonNode schema, String path, List<String> out) {
    java.fields()
        .forEachRemaining(
            field -> {
              JsonNode value = field.getValue();
              JsonNode property = schema.path("properties").path(field.getKey());
              String child = path + "." + field.getKey();
              if (value.isObject()) {
                compareJavaDefaults(value, property, child, out);
              } else if (value.isValueNode()
                  && !value.isNull()
                  && !value.equals(property.get("default"))) {
                out.add(child + ": Java's default is " + value + ", the CRD has none");
              }
            });
  }
}
