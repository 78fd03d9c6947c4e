package io.ffmpegoperator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
  @Test
  void anEndpointMeansPathStyleUnlessToldOtherwise() {
    assertThat(S3Settings.fromEnv(Map.of("S3_BUCKET", "b")).pathStyle()).isFalse();
    assertThat(
            S3Settings.fromEnv(Map.of("S3_BUCKET", "b", "S3_ENDPOINT_URL", "http://minio:9000"))
                .pathStyle())
        .isTrue();
    assertThat(
            S3Settings.fromEnv(
                    Map.of(
                        "S3_BUCKET",
                        "b",
                        "S3_ENDPOINT_URL",
                        "https://s3.example.com",
                        "S3_PATH_STYLE",
                        "false"))
                .pathStyle())
        .isFalse();
    assertThat(S3Settings.fromEnv(Map.of("S3_BUCKET", "b", "S3_PATH_STYLE", "true")).pathStyle())
        .isTrue();
  }

  @Test
  void settingsWithoutABucketOrWithAMisspelledFlagAreRefused() {
    assertThatThrownBy(() -> S3Settings.fromEnv(Map.of())).hasMessageContaining("S3_BUCKET");
    assertThatThrownBy(() -> S3Settings.fromEnv(Map.of("S3_BUCKET", "b", "S3_PATH_STYLE", "yes")))
        .hasMessageContaining("S3_PATH_STYLE");
  }
}
