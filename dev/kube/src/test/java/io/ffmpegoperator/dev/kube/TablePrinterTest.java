package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePrinterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final TablePrinter printer =
      new TablePrinter(Clock.fixed(Instant.parse("2024-01-01T01:00:00Z"), ZoneOffset.UTC));

  private final JsonNode crd =
      read(
          "{'spec':{'group':'media.example.io','scope':'Namespaced',"
              + "'names':{'kind':'Task','plural':'tasks','singular':'task','shortNames':['t']},"
              + "'versions':[{'name':'v1','served':true,'subresources':{'status':{}},"
              + "'additionalPrinterColumns':["
              + "{'name':'Age','type':'date','jsonPath':'.metadata.creationTimestamp'},"
              + "{'name':'Progress','type':'integer','jsonPath':'.status.progress'},"
              + "{'name':'Reason','type':'string','priority':1,'jsonPath':'.status.reason'},"
              + "{'name':'State','type':'string','jsonPath':'.status.state'}]}]}}");

  @Test
  void customColumnsPutNameAndStateFirstAndDatesLast() {
    ResourceType type = ResourceType.fromCrd(crd).get(0);
    JsonNode list =
        read(
            "{'metadata':{'resourceVersion':'9'},'items':[{'metadata':{'name':'a',"
                + "'creationTimestamp':'2024-01-01T00:58:20Z'},'status':{'state':'Running',"
                + "'progress':42}}]}");

    ObjectNode table = printer.print(type, list, null);

    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "State", "Progress", "Reason", "Age");
    assertThat(table.path("columnDefinitions").get(3).path("priority").asInt()).isEqualTo(1);
    JsonNode cells = table.path("rows").get(0).path("cells");
    assertThat(cells.toString()).isEqualTo("[\"a\",\"Running\",42,null,\"100s\"]");
    assertThat(table.path("rows").get(0).path("object").path("kind").asText())
        .isEqualTo("PartialObjectMetadata");
    assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("9");
  }

  @Test
  void jobsAndPodsGetTheUsualColumns() {
    ResourceType jobs = builtIn("Job");
    JsonNode job =
        read(
            "{'metadata':{'name':'j','creationTimestamp':'2024-01-01T00:00:00Z'},"
                + "'spec':{'completions':1},'status':{'succeeded':1,"
                + "'startTime':'2024-01-01T00:00:00Z','completionTime':'2024-01-01T00:00:30Z',"
                + "'conditions':[{'type':'Complete','status':'True'}]}}");
    assertThat(printer.print(jobs, job, "None").path("rows").get(0).path("cells").toString())
        .isEqualTo("[\"j\",\"Complete\",\"1/1\",\"30s\",\"60m\"]");

    JsonNode pod =
        read(
            "{'metadata':{'name':'p','creationTimestamp':'2024-01-01T00:59:00Z'},"
                + "'spec':{'containers':[{'name':'w'}]},'status':{'phase':'Running',"
                + "'containerStatuses':[{'ready':false,'restartCount':2,"
                + "'state':{'terminated':{'reason':'Error'}}}]}}");
    assertThat(printer.print(builtIn("Pod"), pod, "None").path("rows").get(0).path("cells"))
        .hasToString("[\"p\",\"0/1\",\"Error\",\"2\",\"60s\"]");
  }

  @Test
  void writesAgesLikeKubectl() {
    assertThat(
            List.of(5, 119, 125, 600, 3 * 3600 + 60, 7 * 3600, 30 * 3600, 50 * 3600, 400 * 86400)
                .stream()
                .map(s -> TablePrinter.humanDuration(Duration.ofSeconds(s))))
        .containsExactly("5s", "119s", "2m5s", "10m", "3h1m", "7h", "30h", "2d2h", "400d");
  }

  @Test
  void evaluatesSimpleJsonPaths() {
    JsonNode object = read("{'a':{'b':[{'c':'x'}]}}");
    assertThat(TablePrinter.evaluate(object, ".a.b[0].c").asText()).isEqualTo("x");
    assertThat(TablePrinter.evaluate(object, "{.a.b[0].c}").asText()).isEqualTo("x");
    assertThat(TablePrinter.evaluate(object, ".a.missing").isMissingNode()).isTrue();
  }

  private static ResourceType builtIn(String kind) {
    return ResourceType.BUILT_IN.stream().filter(t -> t.kind().equals(kind)).findFirst().get();
  }

  private static JsonNode read(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
