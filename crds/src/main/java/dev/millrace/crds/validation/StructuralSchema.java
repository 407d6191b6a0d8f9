package dev.millrace.crds.validation;

import static dev.millrace.crds.validation.SpecViolation.MISSING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.millrace.crds.StreamingApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the Kubernetes API server checks before it stores a StreamingApp, applied to a file: field
 * names, types and enum values, read from the generated CRD's schema. So {@code millrace run} and
 * {@code millrace submit} reject what {@code kubectl apply} rejects, with better messages. Whether
 * a value of the right type makes sense is {@link StreamingAppValidator}'s to say.
 */
final class StructuralSchema {
  /** Written by the crd-generator-maven-plugin into the module's classes, so it is in the jar. */
  private static final String CRD =
      "/META-INF/fabric8/" + HasMetadata.getFullResourceName(StreamingApp.class) + "-v1.yml";

  private static final int MAX_SHOWN = 60;

  private static final YAMLMapper PLAIN_YAML = new YAMLMapper();

  private static final StructuralSchema STREAMING_APP = new StructuralSchema(loadRootSchema());

  private final JsonNode root;

  /** Lower-cased property name to the paths of the spec and metadata fields with that name. */
  private final Map<String, List<String>> pathsByName = new LinkedHashMap<>();

  private StructuralSchema(JsonNode root) {
    this.root = root;
    indexPaths(root, "");
  }

  /**
   * {@code document} checked against the schema.
   *
   * @param violations what is wrong with its fields, in document order
   * @param bindable a copy of its tree that binds to a {@link StreamingApp}: like the API server,
   *     without fields set to null, so that they get their defaults; and without the fields named
   *     in {@code violations}, so that the rest can still be bound and its values checked (a list
   *     item becomes null instead, so that the items after it keep their paths)
   */
  record Checked(List<SpecViolation> violations, ObjectNode bindable) {}

  /** {@code document} checked against the schema; the document itself is left as it is. */
  static Checked check(YamlDocument document) {
    Walk walk = STREAMING_APP.new Walk(document);
    ObjectNode bindable = walk.root();
    walk.violations.sort(Comparator.comparingInt(v -> document.line(v.field())));
    return new Checked(walk.violations, bindable);
  }

  /** A value from a file for a message: JSON notation, so {@code "3"} and {@code 3} differ. */
  static String shown(JsonNode value) {
    String text = value.toString();
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN - 1) + "…";
  }

  /** One document checked against the schema, collecting what is wrong. */
  private final class Walk {
    private final YamlDocument document;
    private final List<SpecViolation> violations;

    Walk(YamlDocument document) {
      this.document = document;
      this.violations = new ArrayList<>(document.problems());
    }

    ObjectNode root() {
      for (String field : List.of("apiVersion", "kind")) {
        if (!document.root().hasNonNull(field)) {
          String only = root.at("/properties/" + field + "/enum/0").asText();
          violations.add(
              new SpecViolation(field, MISSING, "is required; write " + field + ": " + only));
        }
      }
      ObjectNode tree = document.root().deepCopy();
      value(tree, root, "");
      return tree;
    }

    /** Checks {@code value}, dropping what is wrong inside it; false if it is wrong itself. */
    private boolean value(JsonNode value, JsonNode schema, String path) {
      if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
        return requireType(
            value, v -> v.isIntegralNumber() || v.isTextual(), "an integer or a string", path);
      }
      return switch (schema.path("type").asText()) {
        case "object" -> object(value, schema, path);
        case "array" -> {
          if (!requireType(value, JsonNode::isArray, "a list", path)) {
            yield false;
          }
          for (int i = 0; i < value.size(); i++) {
            if (!value(value.get(i), schema.get("items"), FieldPath.index(path, i))) {
              ((ArrayNode) value).set(i, NullNode.getInstance());
            }
          }
          yield true;
        }
        case "string" ->
            requireType(value, JsonNode::isTextual, "a string", path)
                && (!schema.has("enum") || enumValue(value.asText(), schema.get("enum"), path));
        case "integer" -> {
          if (!requireType(value, JsonNode::isIntegralNumber, "an integer", path)) {
            yield false;
          }
          if (!value.canConvertToInt()) {
            // The spec's integers are Java Integers; only the status has a Long.
            add(path, value, "must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
            yield false;
          }
          yield true;
        }
        case "number" -> requireType(value, JsonNode::isNumber, "a number", path);
        case "boolean" -> requireType(value, JsonNode::isBoolean, "true or false", path);
        default -> true; // No type: anything goes, e.g. a pod template's contents.
      };
    }

    private boolean object(JsonNode value, JsonNode schema, String path) {
      if (!requireType(value, JsonNode::isObject, "a mapping of fields", path)) {
        return false;
      }
      JsonNode properties = schema.get("properties");
      JsonNode additional = schema.get("additionalProperties");
      boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
      List<String> names = new ArrayList<>();
      value.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String child = FieldPath.child(path, name);
        JsonNode field = value.get(name);
        boolean keep;
        if (properties != null && properties.has(name)) {
          keep = !field.isNull() && value(field, properties.get(name), child);
        } else if (additional != null && additional.isObject()) {
          keep = value(field, additional, child);
        } else if (properties != null && !preserveUnknown) {
          violations.add(
              new SpecViolation(
                  child, "", unknownFieldRule(path, name, properties) + document.at(child)));
          keep = false;
        } else {
          keep = true;
        }
        if (!keep) {
          ((ObjectNode) value).remove(name);
        }
      }
      return true;
    }

    private boolean enumValue(String text, JsonNode allowed, String path) {
      List<String> values = new ArrayList<>();
      allowed.forEach(v -> values.add(v.asText()));
      if (values.contains(text)) {
        return true;
      }
      String rule =
          values.size() == 1
              ? "must be " + values.get(0)
              : "must be one of " + String.join(", ", values);
      String closest = Spelling.closest(text, values);
      add(
          path,
          TextNode.valueOf(text),
          closest == null ? rule : rule + "; did you mean " + closest + "?");
      return false;
    }

    /** Adds a violation unless {@code value} is {@code wanted}; with a hint for a quoted one. */
    private boolean requireType(
        JsonNode value, Predicate<JsonNode> wanted, String type, String path) {
      if (wanted.test(value)) {
        return true;
      }
      add(path, value, "must be " + type + (isQuoted(value, wanted) ? ", without quotes" : ""));
      return false;
    }

    private void add(String path, JsonNode value, String rule) {
      violations.add(new SpecViolation(path, shown(value), rule + document.at(path)));
    }
  }

  private String unknownFieldRule(String parent, String name, JsonNode properties) {
    List<String> siblings = new ArrayList<>();
    properties.fieldNames().forEachRemaining(siblings::add);
    String closest = Spelling.closest(name, siblings);
    if (closest != null) {
      return "unknown field; did you mean " + closest + "?";
    }
    List<String> elsewhere = pathsByName.get(name.toLowerCase(Locale.ROOT));
    if (elsewhere != null) {
      return "unknown field; did you mean " + String.join(" or ", elsewhere) + "?";
    }
    return "unknown field; "
        + (parent.isEmpty() ? "a StreamingApp" : parent)
        + " has "
        + String.join(", ", siblings);
  }

  /** Whether {@code value} is a string that, without its quotes, would be {@code wanted}. */
  private static boolean isQuoted(JsonNode value, Predicate<JsonNode> wanted) {
    if (!value.isTextual()) {
      return false;
    }
    try {
      JsonNode unquoted = PLAIN_YAML.readTree(value.asText());
      return unquoted != null && wanted.test(unquoted);
    } catch (IOException e) {
      return false;
    }
  }

  /** Indexes spec and metadata fields by name, to point at the right place for a misplaced one. */
  private void indexPaths(JsonNode schema, String path) {
    schema
        .path("properties")
        .properties()
        .forEach(
            property -> {
              String child = FieldPath.child(path, property.getKey());
              if (!child.equals("status")) {
                pathsByName
                    .computeIfAbsent(
                        property.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(child);
                indexPaths(property.getValue(), child);
              }
            });
  }

  /**
   * The CRD's schema with what every Kubernetes resource has added: apiVersion, kind and the
   * metadata fields (the API server checks those itself, so the CRD does not list them).
   */
  private static JsonNode loadRootSchema() {
    JsonNode crd;
    try (InputStream in = StructuralSchema.class.getResourceAsStream(CRD)) {
      if (in == null) {
        throw new IllegalStateException(
            CRD
                + " is not on the classpath; it is generated when the crds module is built"
                + " (mvn -pl crds process-classes)");
      }
      crd = PLAIN_YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CRD, e);
    }
    JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    ObjectNode properties = JsonNodeFactory.instance.objectNode();
    properties.set("apiVersion", oneString(HasMetadata.getApiVersion(StreamingApp.class)));
    properties.set("kind", oneString(HasMetadata.getKind(StreamingApp.class)));
    properties.set("metadata", metadataSchema());
    properties.setAll((ObjectNode) schema.get("properties"));
    return ((ObjectNode) schema.deepCopy()).set("properties", properties);
  }

  private static ObjectNode metadataSchema() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode properties = JsonNodeFactory.instance.objectNode();
    mapper
        .getSerializationConfig()
        .introspect(mapper.constructType(ObjectMeta.class))
        .findProperties()
        .forEach(property -> properties.putObject(property.getName()));
    for (String text : List.of("name", "namespace", "generateName")) {
      properties.putObject(text).put("type", "string");
    }
    for (String map : List.of("labels", "annotations")) {
      ObjectNode schema = properties.putObject(map).put("type", "object");
      schema.putObject("additionalProperties").put("type", "string");
    }
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    schema.set("properties", properties);
    return schema;
  }

  private static ObjectNode oneString(String value) {
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "string");
    schema.putArray("enum").add(value);
    return schema;
  }
}
