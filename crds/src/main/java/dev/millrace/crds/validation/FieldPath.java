package dev.millrace.crds.validation;

import java.util.regex.Pattern;

/**
 * Paths of fields in messages: {@code spec.driver.env[2].name}, and keys that are not plain names
 * in brackets: {@code spec.application.conf["millrace.checkpoint.dir"]}.
 */
final class FieldPath {
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

  private FieldPath() {}

  /** The path of field {@code name} in the object at {@code parent} ("" for the root). */
  static String child(String parent, String name) {
    if (!PLAIN_NAME.matcher(name).matches()) {
      return parent + "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }
    return parent.isEmpty() ? name : parent + "." + name;
  }

  /** The path of item {@code index} in the list at {@code parent}. */
  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
