package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU and memory a task's worker container asks for, in the shape of a container's {@code
 * resources}. Quantities are kept as written (int or string) rather than as fabric8's {@code
 * Quantity}, which parses while it is read: a malformed one then fails the task with a message
 * naming it, instead of making the whole resource unreadable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class TaskResources {
  /** The resource names a task may set; the API server and the policy both refuse others. */
  static final String NAMES_RULE = "self.all(k, k == 'cpu' || k == 'memory')";

  static final String NAMES_MESSAGE = "only cpu and memory may be set";

  @Size(max = 2) // also bounds the rule's cost, which the API server estimates before it accepts it
  @ValidationRule(value = NAMES_RULE, message = NAMES_MESSAGE)
  @JsonPropertyDescription(
      "cpu and memory the worker container is guaranteed, as Kubernetes quantities (500m,"
          + " 256Mi); the operator's default for one left out.")
  private Map<String, IntOrString> requests = new LinkedHashMap<>();

  @Size(max = 2) // also bounds the rule's cost, which the API server estimates before it accepts it
  @ValidationRule(value = NAMES_RULE, message = NAMES_MESSAGE)
  @JsonPropertyDescription(
      "cpu and memory the worker container may use at most, as Kubernetes quantities (2, 1Gi);"
          + " at most the operator's maximum, at least the request; the operator's default for"
          + " one left out.")
  private Map<String, IntOrString> limits = new LinkedHashMap<>();

  public TaskResources() {}

  /** From quantities as text, e.g. {@code {"cpu": "500m"}}; either map may be null. */
  public TaskResources(Map<String, String> requests, Map<String, String> limits) {
    this.requests = quantities(requests);
    this.limits = quantities(limits);
  }

  public Map<String, IntOrString> getRequests() {
    return requests;
  }

  public void setRequests(Map<String, IntOrString> requests) {
    this.requests = requests;
  }

  public Map<String, IntOrString> getLimits() {
    return limits;
  }

  public void setLimits(Map<String, IntOrString> limits) {
    this.limits = limits;
  }

  /** {@code amounts} as text, the way they are written: {@code 2} and {@code "2"} alike. */
  public static Map<String, String> text(Map<String, IntOrString> amounts) {
    Map<String, String> text = new LinkedHashMap<>();
    if (amounts != null) {
      amounts.forEach((name, amount) -> text.put(name, text(amount)));
    }
    return text;
  }

  private static String text(IntOrString amount) {
    if (amount == null) {
      return null;
    }
    return amount.getIntVal() != null ? amount.getIntVal().toString() : amount.getStrVal();
  }

  private static Map<String, IntOrString> quantities(Map<String, String> text) {
    Map<String, IntOrString> amounts = new LinkedHashMap<>();
    if (text != null) {
      text.forEach((name, amount) -> amounts.put(name, new IntOrString(amount)));
    }
    return amounts;
  }
}
