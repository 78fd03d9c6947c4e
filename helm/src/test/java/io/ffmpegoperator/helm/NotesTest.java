package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** NOTES.txt tells how to reach the API, get the key, run a first task and upgrade the CRDs. */
class NotesTest {

  @Test
  void defaultNotes() {
    String notes = Chart.notes(null);

    assertThat(notes)
        .contains(
            "kubectl -n ffmpeg-system port-forward svc/media-ffmpeg-operator-bridge 8000:8000")
        .contains(
            "kubectl -n ffmpeg-system get secret media-ffmpeg-operator-api-keys",
            "-o jsonpath='{.data.api-key}' | base64 -d")
        .contains("-H \"Authorization: Bearer $API_KEY\"")
        .contains("kubectl -n ffmpeg-system apply -f -", "kind: FfmpegTask")
        .contains("kubectl apply -f helm/ffmpeg-operator/crds/")
        .contains("pod-security.kubernetes.io/enforce=restricted")
        .contains(
            "workers:  1 warm pod(s) ready per namespace in ffmpeg-system, each requesting 500m"
                + " CPU, 256Mi of memory and 20Gi of scratch disk while idle");
  }

  @Test
  void namespacedNotes() {
    String notes = Chart.notes(Chart.NAMESPACED_VALUES);

    assertThat(notes)
        .contains("curl -s -X POST https://ffmpeg.media.example.org/ffmpeg/register")
        .contains("kubectl -n team-a apply -f -")
        .contains("watching team-a, team-b")
        .contains("warm pod(s) ready per namespace in team-a, team-b")
        .contains(
            "kubectl label ns ffmpeg-system pod-security",
            "kubectl label ns team-a pod-security",
            "kubectl label ns team-b pod-security")
        .doesNotContain("port-forward");
  }

  @Test
  void notesWithoutWarmWorkers() {
    String notes = Chart.notesWith(null, Map.of("worker.warm.count", 0));

    assertThat(notes)
        .contains("workers:  one pod started per task (no warm workers)")
        .doesNotContain("warm pod(s)");
  }
}
