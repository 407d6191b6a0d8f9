package dev.millrace.runtime.ui;

import java.nio.charset.StandardCharsets;

/**
 * An answer of the {@link WebUi}, whole before it is sent: every one is small (a page, or a JSON
 * document bounded by the API's limits).
 *
 * @param code the HTTP status code
 * @param contentType the content type, with its charset where it has one
 * @param body the bytes to send
 */
public record WebResponse(int code, String contentType, byte[] body) {

  static WebResponse json(int code, String json) {
    return new WebResponse(
        code, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
  }
}
