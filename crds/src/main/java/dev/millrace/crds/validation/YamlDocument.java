package dev.millrace.crds.validation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One YAML document as a Jackson tree, with the line of every field, so that a message can say
 * where a field is. Reading it reports what YAML itself gets wrong.
 */
final class YamlDocument {
  private static final YAMLFactory YAML = new YAMLFactory();

  private final Map<String, Integer> lines = new HashMap<>();
  private final Map<String, JsonNode> anchors = new HashMap<>();
  private final List<SpecViolation> problems = new ArrayList<>();
  private ObjectNode root;

  private YamlDocument() {}

  /**
   * Reads the single document in {@code text}.
   *
   * @throws InvalidSpecException if it is no YAML, empty, more than one document, or not a mapping
   */
  static YamlDocument parse(String text, String source) {
    YamlDocument document = new YamlDocument();
    try (YAMLParser parser = YAML.createParser(text)) {
      document.readSingleDocument(parser, source);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      throw fatal(
          source,
          "YAML syntax error: "
              + (e.getProblem() == null ? firstLine(e.getOriginalMessage()) : e.getProblem())
              + (mark == null
                  ? at(e.getLocation())
                  : at(mark.getLine() + 1, mark.getColumn() + 1)));
    } catch (JsonProcessingException e) {
      throw fatal(
          source, "YAML syntax error: " + firstLine(e.getOriginalMessage()) + at(e.getLocation()));
    } catch (IOException e) {
      throw new UncheckedIOException("reading a string failed", e);
    }
    return document;
  }

  /** The document's top-level mapping. */
  ObjectNode root() {
    return root;
  }

  /** Duplicate keys and other YAML that reads but cannot mean what its author meant. */
  List<SpecViolation> problems() {
    return problems;
  }

  /**
   * The line of the field at {@code path} (see {@link FieldPath}), or 0 if it is not in the file.
   */
  int line(String path) {
    return lines.getOrDefault(path, 0);
  }

  /**
   * The line of the field at {@code path} or, if it is not in the file, of the closest field that
   * encloses it and is; 0 if none is.
   */
  int lineNear(String path) {
    for (int end = path.length(); end >= 0; end--) {
      boolean boundary =
          end == 0 || end == path.length() || path.charAt(end) == '.' || path.charAt(end) == '[';
      Integer line = boundary ? lines.get(path.substring(0, end)) : null;
      if (line != null) {
        return line;
      }
    }
    return 0;
  }

  /** {@code " (line N)"} for a field in the file, or "" for one that is not. */
  String at(String path) {
    int line = line(path);
    return line == 0 ? "" : " (line " + line + ")";
  }

  private void readSingleDocument(YAMLParser parser, String source) throws IOException {
    JsonToken token = parser.nextToken();
    // A "---" with nothing after it is an empty document: skipped, as kubectl does.
    while (token == JsonToken.VALUE_NULL) {
      token = parser.nextToken();
    }
    if (token == null) {
      throw fatal(
          source, "the document is empty; a StreamingApp has apiVersion, kind, metadata and spec");
    }
    JsonNode value = value(parser, "");
    for (token = parser.nextToken(); token != null; token = parser.nextToken()) {
      if (token != JsonToken.VALUE_NULL) {
        throw fatal(
            source,
            "a second document starts at line "
                + parser.currentTokenLocation().getLineNr()
                + "; write one StreamingApp per file");
      }
    }
    if (!value.isObject()) {
      throw fatal(
          source,
          "the document must be a mapping with apiVersion, kind, metadata and spec, not "
              + StructuralSchema.shown(value));
    }
    root = (ObjectNode) value;
  }

  private JsonNode value(YAMLParser parser, String path) throws IOException {
    lines.putIfAbsent(path, parser.currentTokenLocation().getLineNr());
    if (parser.isCurrentAlias()) {
      JsonNode anchored = anchors.get(parser.getText());
      if (anchored == null) {
        problems.add(
            new SpecViolation(
                path, "*" + parser.getText(), "refers to no anchor defined above it" + at(path)));
        return NullNode.getInstance();
      }
      return anchored.deepCopy();
    }
    String anchor = parser.getCurrentAnchor();
    JsonNode value =
        switch (parser.currentToken()) {
          case START_OBJECT -> object(parser, path);
          case START_ARRAY -> array(parser, path);
          case VALUE_STRING -> TextNode.valueOf(parser.getText());
          case VALUE_NUMBER_INT ->
              switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
              };
          case VALUE_NUMBER_FLOAT -> DoubleNode.valueOf(parser.getDoubleValue());
          case VALUE_TRUE -> BooleanNode.TRUE;
          case VALUE_FALSE -> BooleanNode.FALSE;
          case VALUE_NULL -> NullNode.getInstance();
          default -> throw new IllegalStateException("unexpected " + parser.currentToken());
        };
    if (anchor != null) {
      anchors.put(anchor, value);
    }
    return value;
  }

  private ObjectNode object(YAMLParser parser, String path) throws IOException {
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      String child = FieldPath.child(path, name);
      int line = parser.currentTokenLocation().getLineNr();
      parser.nextToken();
      lines.putIfAbsent(child, line);
      if (name.equals("<<")) {
        problems.add(
            new SpecViolation(
                child,
                "",
                "YAML merge keys are not supported; write the fields out (line " + line + ")"));
        parser.skipChildren();
      } else if (object.has(name)) {
        problems.add(
            new SpecViolation(
                child, "", "is set twice (lines " + line(child) + " and " + line + "); keep one"));
        parser.skipChildren();
      } else {
        object.set(name, value(parser, child));
      }
    }
    return object;
  }

  private ArrayNode array(YAMLParser parser, String path) throws IOException {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(value(parser, FieldPath.index(path, array.size())));
    }
    return array;
  }

  private static InvalidSpecException fatal(String source, String rule) {
    return new InvalidSpecException(source, List.of(new SpecViolation("", "", rule)));
  }

  private static String at(JsonLocation location) {
    return location == null ? "" : at(location.getLineNr(), location.getColumnNr());
  }

  private static String at(int line, int column) {
    return line <= 0 ? "" : " (line " + line + ", column " + column + ")";
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
