package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldSetTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode task =
      read(
          "{'apiVersion':'media.ffmpeg-operator.io/v1alpha1','kind':'FfmpegTask',"
              + "'metadata':{'name':'t1','namespace':'default','resourceVersion':'7',"
              + "'labels':{'team':'a'}},"
              + "'spec':{'command':'-i in_1 out_1','inputs':{'in_1':'s3://b/a.mp4'},"
              + "'tags':['x','y'],'resources':{},'priority':'High'},"
              + "'status':{'state':'Running'}}");

  @Test
  void leavesAreScalarsListsAndEmptyObjectsWithoutServerSetFields() {
    FieldSet leaves = FieldSet.leaves(task, ManagedFields.notOwnable(null, true));

    assertThat(leaves.paths())
        .containsExactlyInAnyOrder(
            List.of("metadata", "labels", "team"),
            List.of("spec", "command"),
            List.of("spec", "inputs", "in_1"),
            List.of("spec", "tags"),
            List.of("spec", "resources"),
            List.of("spec", "priority"));
  }

  @Test
  void statusSubresourceOwnsOnlyStatus() {
    assertThat(FieldSet.leaves(task, ManagedFields.notOwnable("status", true)).paths())
        .containsExactly(List.of("status", "state"));
    assertThat(FieldSet.leaves(task, ManagedFields.notOwnable(null, false)).paths())
        .contains(List.of("status", "state"));
  }

  @Test
  void encodesFieldsV1SortedAndParsesItBack() {
    FieldSet leaves = FieldSet.leaves(task, ManagedFields.notOwnable(null, true));

    JsonNode encoded = leaves.encode();

    assertThat(encoded)
        .isEqualTo(
            read(
                "{'f:metadata':{'f:labels':{'f:team':{}}},"
                    + "'f:spec':{'f:command':{},'f:inputs':{'f:in_1':{}},'f:priority':{},"
                    + "'f:resources':{},'f:tags':{}}}"));
    assertThat(encoded.toString()).startsWith("{\"f:metadata\"");
    assertThat(FieldSet.parse(encoded)).isEqualTo(leaves);
  }

  @Test
  void readsWhatRealClustersWriteListMembersAsTheirWholeList() {
    JsonNode written =
        read(
            "{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},"
                + "'f:spec':{'f:containers':{'k:{\\\"name\\\":\\\"worker\\\"}':{'.':{},"
                + "'f:image':{}}},'f:finalizers':{'v:\\\"x\\\"':{}}}}");

    FieldSet parsed = FieldSet.parse(written);

    assertThat(parsed.paths())
        .containsExactlyInAnyOrder(
            List.of("metadata", "labels"),
            List.of("metadata", "labels", "app"),
            List.of("spec", "containers"),
            List.of("spec", "finalizers"));
    // A path owned together with paths below it is written with ".".
    assertThat(parsed.encode().path("f:metadata").path("f:labels"))
        .isEqualTo(read("{'.':{},'f:app':{}}"));
  }

  @Test
  void overlapIsAPathAboveOrBelow() {
    FieldSet set = FieldSet.of(List.of(List.of("spec", "inputs"), List.of("spec", "command")));

    assertThat(set.overlaps(List.of("spec", "inputs", "in_1"))).isTrue();
    assertThat(set.overlaps(List.of("spec"))).isTrue();
    assertThat(set.overlaps(List.of("spec", "priority"))).isFalse();
    assertThat(set.withoutOverlapping(List.of("spec", "inputs", "in_1")).paths())
        .containsExactly(List.of("spec", "command"));
  }

  @Test
  void describesPathsAsTheApiServerPrintsThem() {
    assertThat(FieldSet.describe(List.of("spec", "priority"))).isEqualTo(".spec.priority");
    assertThat(FieldSet.valueAt(task, List.of("spec", "inputs", "in_1")).asText())
        .isEqualTo("s3://b/a.mp4");
    assertThat(FieldSet.valueAt(task, List.of("spec", "command", "x")).isMissingNode()).isTrue();
  }

  @Test
  void trackerGivesAnUpdateTheFieldsItChangedAndTakesThemFromOthers() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-12-06T08:00:00.5Z"), ZoneOffset.UTC);
    ManagedFieldsTracker tracker = new ManagedFieldsTracker(clock);
    String before = JSON.writeValueAsString(task);
    String created =
        tracker.track(
            new ManagedFieldsTracker.Writer("kubectl-create", "v1alpha1", null, true),
            null,
            before);
    JsonNode entry = JSON.readTree(created).path("metadata").path("managedFields").get(0);
    assertThat(entry.path("manager").asText()).isEqualTo("kubectl-create");
    assertThat(entry.path("operation").asText()).isEqualTo("Update");
    assertThat(entry.path("time").asText()).isEqualTo("2026-12-06T08:00:00Z");
    assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");

    String edited = created.replace("\"High\"", "\"Low\"");
    JsonNode after =
        JSON.readTree(
            tracker.track(
                new ManagedFieldsTracker.Writer("kubectl-edit", "v1alpha1", null, true),
                created,
                edited));

    List<ManagedFields.Entry> entries = ManagedFields.read(after);
    assertThat(entries)
        .extracting(ManagedFields.Entry::manager)
        .containsExactly("kubectl-create", "kubectl-edit");
    assertThat(entries.get(0).fields().paths()).doesNotContain(List.of("spec", "priority"));
    assertThat(entries.get(1).fields().paths()).containsExactly(List.of("spec", "priority"));
    // A write that changes nothing leaves managedFields (and their times) alone.
    assertThat(
            tracker.track(
                new ManagedFieldsTracker.Writer("other", "v1alpha1", null, true), edited, edited))
        .isEqualTo(edited);
  }

  private static JsonNode read(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
