package io.ffmpegoperator.policy;

import io.ffmpegoperator.settings.EnvSettings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CPU and memory a task may ask for its worker container: {@code requests} and {@code limits}
 * of {@code cpu} and {@code memory}, as Kubernetes quantities, none above the operator's maximum
 * and no request above its limit. The bridge checks a register body with it and the operator checks
 * a task's spec again before it makes a Job, so a task written with kubectl is held to the same
 * maximum; both read that maximum from the same variables ({@link #fromEnv}).
 *
 * @param maxCpu the most CPU a task may ask for, as a Kubernetes quantity; null for the default
 * @param maxMemory the most memory a task may ask for; null for the default
 */
public record ResourcePolicy(String maxCpu, String maxMemory) {
  public static final String MAX_CPU_ENV = "TASK_MAX_CPU";
  public static final String MAX_MEMORY_ENV = "TASK_MAX_MEMORY";
  public static final String DEFAULT_MAX_CPU = "4";
  public static final String DEFAULT_MAX_MEMORY = "8Gi";

  public static final String REQUESTS = "requests";
  public static final String LIMITS = "limits";
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";

  private static final Set<String> SECTIONS = Set.of(REQUESTS, LIMITS);
  private static final List<String> NAMES = List.of(CPU, MEMORY);

  /**
   * @throws IllegalArgumentException when a maximum is no positive quantity
   */
  public ResourcePolicy {
    maxCpu = positive(maxCpu == null ? DEFAULT_MAX_CPU : maxCpu);
    maxMemory = positive(maxMemory == null ? DEFAULT_MAX_MEMORY : maxMemory);
  }

  /**
   * Requests and limits of a container, by resource name ({@code cpu}, {@code memory}), as
   * Kubernetes quantities; either map may be null for none.
   */
  public record Resources(Map<String, String> requests, Map<String, String> limits) {
    public Resources {
      requests = requests == null ? Map.of() : Map.copyOf(requests);
      limits = limits == null ? Map.of() : Map.copyOf(limits);
    }

    /**
     * These, each one left out taken from {@code defaults}, and each limit at least its request.
     * Both must be valid ({@link ResourcePolicy#problems}). A task's own request above the default
     * limit raises the limit to it, and a task's own limit below the default request lowers the
     * request to it: the task said what it needs, and Kubernetes refuses a container whose request
     * is above its limit.
     */
    public Resources over(Resources defaults) {
      Map<String, String> mergedRequests = new LinkedHashMap<>();
      Map<String, String> mergedLimits = new LinkedHashMap<>();
      for (String name : NAMES) {
        String request = requests.getOrDefault(name, defaults.requests().get(name));
        String limit = limits.getOrDefault(name, defaults.limits().get(name));
        if (request != null && limit != null && amount(request).compareTo(amount(limit)) > 0) {
          if (limits.containsKey(name)) {
            request = limit;
          } else {
            limit = request;
          }
        }
        putIfSet(mergedRequests, name, request);
        putIfSet(mergedLimits, name, limit);
      }
      return new Resources(mergedRequests, mergedLimits);
    }

    private static void putIfSet(Map<String, String> map, String name, String value) {
      if (value != null) {
        map.put(name, value);
      }
    }
  }

  /** The default maximum: {@value #DEFAULT_MAX_CPU} CPUs, {@value #DEFAULT_MAX_MEMORY}. */
  public static ResourcePolicy defaults() {
    return new ResourcePolicy(null, null);
  }

  /**
   * The maximum {@value #MAX_CPU_ENV} and {@value #MAX_MEMORY_ENV} say, else the default.
   *
   * @throws IllegalArgumentException naming the variable when one is malformed
   */
  public static ResourcePolicy fromEnv(EnvSettings env) {
    return new ResourcePolicy(
        env.parsed(
            MAX_CPU_ENV,
            DEFAULT_MAX_CPU,
            ResourcePolicy::positive,
            "a positive Kubernetes quantity such as 4 or 1500m"),
        env.parsed(
            MAX_MEMORY_ENV,
            DEFAULT_MAX_MEMORY,
            ResourcePolicy::positive,
            "a positive Kubernetes quantity such as 8Gi or 512Mi"));
  }

  /**
   * Each problem of what a task asks for, phrased for the user and naming its field ({@code
   * resources.limits.memory}); empty when it may run.
   *
   * @param resources {@code requests} and {@code limits}, each resource name to a quantity, as a
   *     register body or a task's spec hold them; null for none
   */
  public List<String> problems(Map<String, ? extends Map<String, String>> resources) {
    List<String> problems = new ArrayList<>();
    if (resources == null) {
      return problems;
    }
    resources.keySet().stream()
        .filter(section -> !SECTIONS.contains(section))
        .sorted()
        .forEach(
            section ->
                problems.add(
                    "resources."
                        + section
                        + " is not allowed: only requests and limits may be set"));
    Map<String, BigDecimal> requests = section(resources, REQUESTS, problems);
    Map<String, BigDecimal> limits = section(resources, LIMITS, problems);
    for (String name : NAMES) {
      BigDecimal request = requests.get(name);
      BigDecimal limit = limits.get(name);
      if (request != null && limit != null && request.compareTo(limit) > 0) {
        problems.add(
            "resources.requests."
                + name
                + " "
                + resources.get(REQUESTS).get(name)
                + " is above resources.limits."
                + name
                + " "
                + resources.get(LIMITS).get(name));
      }
    }
    return problems;
  }

  /**
   * Checks what a task asks for.
   *
   * @throws InvalidTaskException with every problem, when there is one
   */
  public void check(Map<String, ? extends Map<String, String>> resources)
      throws InvalidTaskException {
    List<String> problems = problems(resources);
    if (!problems.isEmpty()) {
      throw new InvalidTaskException(problems);
    }
  }

  /** The valid amounts of one section, by name; a problem for each amount that is not. */
  private Map<String, BigDecimal> section(
      Map<String, ? extends Map<String, String>> resources, String section, List<String> problems) {
    Map<String, BigDecimal> amounts = new LinkedHashMap<>();
    Map<String, String> given = resources.get(section);
    if (given == null) {
      return amounts;
    }
    given.forEach(
        (name, text) -> {
          String field = "resources." + section + "." + name;
          if (!NAMES.contains(name)) {
            problems.add(field + " is not allowed: only cpu and memory may be set");
            return;
          }
          BigDecimal amount;
          try {
            amount = amount(text);
          } catch (IllegalArgumentException e) {
            problems.add(
                field
                    + " '"
                    + text
                    + "' is not a Kubernetes quantity (such as "
                    + (name.equals(CPU) ? "500m or 2" : "256Mi or 1Gi")
                    + ")");
            return;
          }
          String max = name.equals(CPU) ? maxCpu : maxMemory;
          if (amount.signum() <= 0) {
            problems.add(field + " " + text + " must be more than 0");
          } else if (amount.compareTo(amount(max)) > 0) {
            problems.add(field + " " + text + " is above the maximum " + max);
          } else {
            amounts.put(name, amount);
          }
        });
    return amounts;
  }

  private static String positive(String text) {
    if (amount(text).signum() <= 0) {
      throw new IllegalArgumentException("not more than 0: '" + text + "'");
    }
    return text;
  }

  private static BigDecimal amount(String text) {
    return Quantities.parse(text);
  }
}
