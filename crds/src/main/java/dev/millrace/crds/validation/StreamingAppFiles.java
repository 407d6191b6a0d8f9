package dev.millrace.crds.validation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.millrace.crds.StreamingApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * StreamingApp YAML files, as {@code millrace run app.yaml} and {@code millrace submit --master
 * yarn app.yaml} read them: the file {@code kubectl apply} takes, checked as strictly as the API
 * server checks it.
 *
 * <p>Reading checks the document's form: YAML syntax, one document, field names (a typo is named,
 * with its line and the field probably meant), types and enum values. Whether the values make sense
 * for a backend is {@link StreamingAppValidator#requireValid}'s to say, next; {@link #readValid}
 * does both and reports what is wrong with the form and with the values at once. Fields left out,
 * or set to null, get the Java defaults, which are the CRD's defaults.
 */
public final class StreamingAppFiles {
  // Strings are always quoted: unquoted, "0x1F", "1e3" or "yes" would read back as numbers or
  // booleans.
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  static {
    JsonInclude.Value nonEmpty = JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null);
    YAML.configOverride(List.class).setInclude(nonEmpty);
    YAML.configOverride(Map.class).setInclude(nonEmpty);
  }

  private StreamingAppFiles() {}

  /**
   * Reads the StreamingApp in {@code file} (UTF-8).
   *
   * @throws InvalidSpecException if it is not a well-formed StreamingApp
   * @throws UncheckedIOException if it cannot be read
   */
  public static StreamingApp read(Path file) {
    return parse(text(file), file.toString());
  }

  /**
   * Reads the StreamingApp in {@code file} (UTF-8) and checks that it is valid for {@code target}.
   *
   * @throws InvalidSpecException listing, in document order, what is wrong with its form and with
   *     its values
   * @throws UncheckedIOException if it cannot be read
   */
  public static StreamingApp readValid(Path file, Target target) {
    return parseValid(text(file), file.toString(), target);
  }

  /**
   * Parses the StreamingApp in {@code yamlText}.
   *
   * @param source where the text came from, for messages: a file name or {@code <stdin>}
   * @throws InvalidSpecException if it is not a well-formed StreamingApp
   */
  public static StreamingApp parse(String yamlText, String source) {
    YamlDocument document = document(yamlText, source);
    StructuralSchema.Checked checked = StructuralSchema.check(document);
    if (!checked.violations().isEmpty()) {
      throw new InvalidSpecException(source, checked.violations());
    }
    try {
      return bind(checked.bindable());
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException(source, List.of(unreadable(e, document)));
    }
  }

  /**
   * Parses the StreamingApp in {@code yamlText} and checks that it is valid for {@code target}.
   *
   * <p>What is wrong with the form and with the values is reported together, so that a typo does
   * not hide a bad value: fields of a wrong name, type or enum value are left out, the rest is
   * checked by {@link StreamingAppValidator}, and a field reported for its form is not reported
   * again for its value (nor are the fields inside it). Text that is no YAML, empty, or more than
   * one document is reported alone: there is nothing to check the values of.
   *
   * @param source where the text came from, for messages: a file name or {@code <stdin>}
   * @throws InvalidSpecException listing, in document order, what is wrong with its form and with
   *     its values
   */
  public static StreamingApp parseValid(String yamlText, String source, Target target) {
    YamlDocument document = document(yamlText, source);
    StructuralSchema.Checked checked = StructuralSchema.check(document);
    List<SpecViolation> found = new ArrayList<>(checked.violations());
    StreamingApp app;
    try {
      app = bind(checked.bindable());
    } catch (JsonProcessingException e) {
      found.add(unreadable(e, document));
      throw new InvalidSpecException(source, inDocumentOrder(found, document));
    }
    for (SpecViolation violation : StreamingAppValidator.validate(app, target)) {
      if (!isWithinAny(violation.field(), checked.violations())) {
        found.add(violation);
      }
    }
    if (!found.isEmpty()) {
      throw new InvalidSpecException(source, inDocumentOrder(found, document));
    }
    return app;
  }

  private static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (CharacterCodingException e) {
      throw new InvalidSpecException(
          file.toString(),
          List.of(new SpecViolation("", "", "the file is not UTF-8 text; save it as UTF-8")));
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot read " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException("cannot read " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static YamlDocument document(String yamlText, String source) {
    // Editors on Windows like to start UTF-8 files with a byte order mark.
    String text = yamlText.startsWith("\uFEFF") ? yamlText.substring(1) : yamlText;
    return YamlDocument.parse(text, source);
  }

  private static StreamingApp bind(ObjectNode tree) throws JsonProcessingException {
    // Fixed by the StreamingApp class (which ignores and logs a set value); checked by the schema.
    tree.remove(List.of("apiVersion", "kind"));
    return YAML.treeToValue(tree, StreamingApp.class);
  }

  /** Why a tree that passed the schema does not bind. */
  private static SpecViolation unreadable(JsonProcessingException e, YamlDocument document) {
    // The schema leaves pod templates free-form; this is where their contents are read.
    String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
    return new SpecViolation(
        field,
        "",
        "cannot be read: "
            + e.getOriginalMessage().lines().findFirst().orElse("")
            + document.at(field));
  }

  /** Whether {@code field} is, or is inside, a field one of {@code reported} is about. */
  private static boolean isWithinAny(String field, List<SpecViolation> reported) {
    for (SpecViolation violation : reported) {
      String other = violation.field();
      if (!other.isEmpty()
          && field.startsWith(other)
          && (field.length() == other.length()
              || field.charAt(other.length()) == '.'
              || field.charAt(other.length()) == '[')) {
        return true;
      }
    }
    return false;
  }

  /** {@code violations} sorted by where they are in the file; a stable sort, ties keep order. */
  private static List<SpecViolation> inDocumentOrder(
      List<SpecViolation> violations, YamlDocument document) {
    List<SpecViolation> sorted = new ArrayList<>(violations);
    sorted.sort(Comparator.comparingInt(v -> document.lineNear(v.field())));
    return sorted;
  }

  /**
   * The YAML of {@code app}'s apiVersion, kind, metadata and spec: what a user writes, in the
   * fields' documented order, without fields that are null or empty. {@link #parse} reads it back
   * to an equal spec. The status is left out: it belongs to the backend running the application.
   */
  public static String toYaml(StreamingApp app) {
    ObjectNode tree = YAML.valueToTree(app);
    tree.remove("status");
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always writes as YAML", e);
    }
  }

  private static String path(JsonMappingException e) {
    String path = "";
    for (JsonMappingException.Reference step : e.getPath()) {
      path =
          step.getFieldName() != null
              ? FieldPath.child(path, step.getFieldName())
              : FieldPath.index(path, step.getIndex());
    }
    return path;
  }
}
