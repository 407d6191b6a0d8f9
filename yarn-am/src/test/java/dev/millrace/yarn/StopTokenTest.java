package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.io.DataInputByteBuffer;
import org.apache.hadoop.security.Credentials;
import org.junit.jupiter.api.Test;

class StopTokenTest {

  @Test
  void theContainerCredentialsHoldTheTokenUnderItsAlias() throws IOException {
    StopToken token = StopToken.generate();
    ByteBuffer bytes = token.credentials();

    DataInputByteBuffer in = new DataInputByteBuffer();
    in.reset(bytes);
    Credentials credentials = new Credentials();
    credentials.readTokenStorageStream(new DataInputStream(in));

    assertArrayEquals(
        token.value().getBytes(StandardCharsets.UTF_8), credentials.getSecretKey(StopToken.ALIAS));
  }

  @Test
  void everyApplicationGetsAnotherTokenOf256RandomBits() {
    StopToken one = StopToken.generate();
    assertNotEquals(one.value(), StopToken.generate().value());
    // 32 bytes in unpadded base64url.
    assertTrue(one.value().matches("[A-Za-z0-9_-]{43}"), one.value());
  }

  @Test
  void onlyTheSameTokenMatchesAndItsTextFormHidesIt() {
    StopToken token = StopToken.generate();
    assertTrue(token.matches(StopToken.of(token.value() + "\n").value()));
    assertFalse(token.matches(StopToken.generate().value()));
    assertFalse(token.matches(null));
    assertFalse(token.toString().contains(token.value()), token.toString());
  }
}
