package dev.millrace.yarn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * The secret that lets a caller stop an application through its ApplicationMaster's {@code POST
 * /stop}: whoever can reach the ApplicationMaster's port could otherwise stop the application.
 * {@code millrace submit} makes one per application and hands it to the ApplicationMaster in its
 * container's credentials, as YARN hands over delegation tokens (never on a command line or in the
 * environment, where other users of the node can read it), and keeps its own copy in the staging
 * directory, readable by the submitting user only, where {@code millrace stop} finds it. Every
 * ApplicationMaster attempt gets the same credentials.
 */
final class StopToken {
  /** The token's name in the container's credentials. */
  static final Text ALIAS = new Text("millrace.am.stop-token");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String value;

  private StopToken(String value) {
    this.value = value;
  }

  /** A new random token: 256 bits. */
  static StopToken generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new StopToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** The token as written by {@link #value()}. */
  static StopToken of(String value) {
    return new StopToken(value.strip());
  }

  /** The token in the credentials of this process's container, if it was given one. */
  static Optional<StopToken> ofThisContainer() throws IOException {
    byte[] secret = UserGroupInformation.getCurrentUser().getCredentials().getSecretKey(ALIAS);
    return secret == null
        ? Optional.empty()
        : Optional.of(new StopToken(new String(secret, StandardCharsets.UTF_8)));
  }

  /** The token as text, what {@code millrace stop} sends as {@code Authorization: Bearer …}. */
  String value() {
    return value;
  }

  /** Container credentials that hold the token, for the ApplicationMaster's launch context. */
  ByteBuffer credentials() throws IOException {
    Credentials credentials = new Credentials();
    credentials.addSecretKey(ALIAS, value.getBytes(StandardCharsets.UTF_8));
    DataOutputBuffer out = new DataOutputBuffer();
    credentials.writeTokenStorageToStream(out);
    return ByteBuffer.wrap(out.getData(), 0, out.getLength());
  }

  /** Whether {@code presented} is this token, in time independent of where they differ. */
  boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8),
            presented.strip().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "StopToken[hidden]";
  }
}
