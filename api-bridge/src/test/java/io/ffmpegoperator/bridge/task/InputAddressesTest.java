package io.ffmpegoperator.bridge.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.policy.AddressPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only IP literals and reserved names here: the check must not need a working DNS to be tested. */
class InputAddressesTest {
  private static final AddressPolicy PUBLIC_ONLY = AddressPolicy.publicOnly();

  @Test
  void refusesEverySpellingOfAnInternalAddress() {
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("loopback", "http://127.0.0.1/a.mp4");
    inputs.put("metadata", "http://169.254.169.254/latest/meta-data/");
    inputs.put("private", "https://10.0.0.1:8443/a.mp4");
    inputs.put("decimal", "http://2130706433/a.mp4");
    inputs.put("mapped", "http://[::ffff:127.0.0.1]/a.mp4");
    inputs.put("v6loopback", "http://[::1]/a.mp4");
    inputs.put("credentials", "http://user@127.0.0.1/a.mp4");

    List<String> problems = InputAddresses.problems(inputs, PUBLIC_ONLY);

    assertThat(problems).hasSize(inputs.size());
    assertThat(problems.get(0)).startsWith("input 'loopback': ").contains("loopback address");
    assertThat(problems.get(1))
        .startsWith("input 'metadata': 169.254.169.254 resolves to a link-local address");
    assertThat(problems.get(2)).startsWith("input 'private': ").contains("private address");
    assertThat(problems.get(3)).startsWith("input 'decimal': ").contains("loopback");
    assertThat(problems.get(4)).startsWith("input 'mapped': ").contains("loopback");
  }

  @Test
  void passesPublicAddressesAndLeavesOtherSchemesAlone() {
    Map<String, String> inputs =
        Map.of(
            "public", "https://93.184.215.14/a.mp4",
            "s3", "s3://videos/origin/a.mp4",
            "ftp", "ftp://127.0.0.1/a.mp4",
            "junk", "not a url");

    assertThat(InputAddresses.problems(inputs, PUBLIC_ONLY)).isEmpty();
  }

  @Test
  void allowedNetworksAreAllowed() {
    AddressPolicy local = AddressPolicy.allowing("127.0.0.0/8,::1/128");

    assertThat(InputAddresses.problems(Map.of("in_1", "http://127.0.0.1:8080/a.mp4"), local))
        .isEmpty();
    assertThat(InputAddresses.problems(Map.of("in_1", "http://10.0.0.1/a.mp4"), local))
        .singleElement()
        .asString()
        .contains("private address");
  }

  @Test
  void aHostThatDoesNotResolveIsAProblem() {
    assertThat(
            InputAddresses.problems(
                Map.of("in_1", "https://no-such-host.invalid/a.mp4"), PUBLIC_ONLY))
        .containsExactly("input 'in_1': host no-such-host.invalid does not resolve");
  }
}
