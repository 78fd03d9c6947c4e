package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The RBAC rules are exactly the designed ones: the operator's cluster-wide when it watches all
 * namespaces and per watched namespace otherwise, its Lease only in its own namespace, and the
 * bridge's in the one namespace it works in. Rules are compared as "groups resources [names] verbs"
 * lines so that a failure shows the difference.
 */
class RbacTest {
  private static final String GROUP = "media.ffmpeg-operator.io";

  static final List<String> OPERATOR_RULES =
      List.of(
          GROUP + " ffmpegtasks,videos,videojobs [] get,list,watch,create,update,patch,delete",
          GROUP + " ffmpegtasks/status,videojobs/status [] get,update,patch",
          GROUP + " ffmpegtasks/finalizers,videojobs/finalizers [] update",
          // Claiming a warm worker's Job for a task patches it.
          "batch jobs [] get,list,watch,create,update,patch,delete",
          // Its token Secret is owned by the warm Job, with blockOwnerDeletion.
          "batch jobs/finalizers [] update",
          // A failed Job's pods say whether its worker was OOM-killed; claimed warm workers'
          // pods get the task's instance label.
          " pods [] get,list,watch,patch",
          // A warm worker's token Secret: made, never read nor deleted (it goes with its Job).
          " secrets [] create",
          " events [] create,patch",
          " configmaps [ffmpeg-operator-ids,ffmpeg-operator-file-names] get,update",
          " configmaps [] create");

  static final List<String> LEASE_RULES =
      List.of("coordination.k8s.io leases [] get,create,update");

  static final List<String> BRIDGE_RULES =
      List.of(
          GROUP + " ffmpegtasks [] get,list,watch,create,patch,delete",
          GROUP + " videos [] get,list,watch,create,delete",
          GROUP + " videojobs [] get,list,watch,create,patch",
          " configmaps [ffmpeg-operator-ids,ffmpeg-operator-file-names] get,update",
          " configmaps [] create");

  @Test
  void watchingAllNamespacesTheOperatorHasAClusterRole() {
    List<HasMetadata> resources = Chart.render(null);

    ClusterRole operator = Chart.named(resources, ClusterRole.class, "-operator");
    assertThat(Chart.ofType(resources, ClusterRole.class)).containsExactly(operator);
    assertThat(rules(operator.getRules())).containsExactlyElementsOf(OPERATOR_RULES);
    ClusterRoleBinding binding = Chart.named(resources, ClusterRoleBinding.class, "-operator");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(operator.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertServiceAccount(resources, s, "-operator"));

    // One replica: no leader election, so no Lease rights at all.
    assertThat(Chart.ofType(resources, Role.class))
        .singleElement()
        .satisfies(r -> assertThat(r.getMetadata().getName()).endsWith("-bridge"));
    assertBridgeRole(resources, Chart.NAMESPACE);
  }

  @Test
  void watchingNamespacesTheOperatorHasARoleInEach() {
    List<HasMetadata> resources = Chart.render(Chart.NAMESPACED_VALUES);

    assertThat(Chart.ofType(resources, ClusterRole.class)).isEmpty();
    assertThat(Chart.ofType(resources, ClusterRoleBinding.class)).isEmpty();
    List<Role> operatorRoles =
        Chart.ofType(resources, Role.class).stream()
            .filter(r -> r.getMetadata().getName().endsWith("-operator"))
            .toList();
    assertThat(operatorRoles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactly("team-a", "team-b");
    operatorRoles.forEach(
        role -> assertThat(rules(role.getRules())).containsExactlyElementsOf(OPERATOR_RULES));
    List<RoleBinding> operatorBindings =
        Chart.ofType(resources, RoleBinding.class).stream()
            .filter(b -> b.getMetadata().getName().endsWith("-operator"))
            .toList();
    assertThat(operatorBindings)
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactly("team-a", "team-b");
    operatorBindings.forEach(
        binding -> {
          assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
          assertThat(binding.getSubjects())
              .singleElement()
              .satisfies(s -> assertServiceAccount(resources, s, "-operator"));
        });
    // The bridge works in the first watched namespace, so that the operator sees its resources.
    assertBridgeRole(resources, "team-a");
  }

  @Test
  void leaseRightsOnlyInTheReleaseNamespaceWithLeaderElection() {
    List<HasMetadata> resources = Chart.render(Chart.NAMESPACED_VALUES);

    List<Role> withLeases =
        Chart.ofType(resources, Role.class).stream()
            .filter(r -> rules(r.getRules()).stream().anyMatch(rule -> rule.contains("leases")))
            .toList();
    assertThat(withLeases)
        .singleElement()
        .satisfies(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE))
        .satisfies(r -> assertThat(rules(r.getRules())).containsExactlyElementsOf(LEASE_RULES));
    RoleBinding binding = Chart.named(resources, RoleBinding.class, "-leader-election");
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(binding.getRoleRef().getName()).isEqualTo(withLeases.get(0).getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertServiceAccount(resources, s, "-operator"));
  }

  @Test
  void operatorWritesTheStatusOfExactlyTheKindsThatHaveOne() throws IOException {
    Set<String> withStatus = new TreeSet<>();
    try (Stream<Path> files = Files.list(Chart.CRDS)) {
      for (Path file : files.toList()) {
        CustomResourceDefinition crd =
            Chart.SERIALIZATION.unmarshal(Files.readString(file), CustomResourceDefinition.class);
        var subresources = crd.getSpec().getVersions().get(0).getSubresources();
        if (subresources != null && subresources.getStatus() != null) {
          withStatus.add(crd.getSpec().getNames().getPlural() + "/status");
        }
      }
    }
    ClusterRole operator = Chart.named(Chart.render(null), ClusterRole.class, "-operator");

    assertThat(withStatus).isNotEmpty();
    assertThat(
            operator.getRules().stream()
                .flatMap(r -> r.getResources().stream())
                .filter(r -> r.endsWith("/status")))
        .containsExactlyInAnyOrderElementsOf(withStatus);
  }

  @Test
  void nothingReadsSecretsOrGrantsPodsExecOrWildcards() {
    for (var values : new Path[] {null, Chart.NAMESPACED_VALUES}) {
      List<HasMetadata> resources = Chart.render(values);
      List<PolicyRule> all =
          Stream.concat(
                  Chart.ofType(resources, Role.class).stream().flatMap(r -> r.getRules().stream()),
                  Chart.ofType(resources, ClusterRole.class).stream()
                      .flatMap(r -> r.getRules().stream()))
              .toList();
      assertThat(all).isNotEmpty();
      for (PolicyRule rule : all) {
        assertThat(rule.getResources())
            .doesNotContain("pods/exec", "pods/log", "*", "customresourcedefinitions");
        // The operator makes warm workers' token Secrets; no one may read or list any Secret.
        if (rule.getResources().contains("secrets")) {
          assertThat(rule.getResources()).containsExactly("secrets");
          assertThat(rule.getVerbs()).containsExactly("create");
        }
        assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
        assertThat(rule.getApiGroups()).doesNotContain("*");
      }
    }
  }

  @Test
  void rbacCreateFalseRendersNoRbac() {
    List<HasMetadata> resources =
        Chart.parse(Chart.templateWith(null, Map.of("rbac.create", false)));

    assertThat(Chart.ofType(resources, Role.class)).isEmpty();
    assertThat(Chart.ofType(resources, RoleBinding.class)).isEmpty();
    assertThat(Chart.ofType(resources, ClusterRole.class)).isEmpty();
    assertThat(Chart.ofType(resources, ClusterRoleBinding.class)).isEmpty();
  }

  private static void assertBridgeRole(List<HasMetadata> resources, String namespace) {
    Role bridge = Chart.named(resources, Role.class, "-bridge");
    assertThat(bridge.getMetadata().getNamespace()).isEqualTo(namespace);
    assertThat(rules(bridge.getRules())).containsExactlyElementsOf(BRIDGE_RULES);
    RoleBinding binding = Chart.named(resources, RoleBinding.class, "-bridge");
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(namespace);
    assertThat(binding.getRoleRef().getName()).isEqualTo(bridge.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertServiceAccount(resources, s, "-bridge"));
  }

  /** The subject is a ServiceAccount the chart renders in the release namespace. */
  private static void assertServiceAccount(
      List<HasMetadata> resources, Subject subject, String suffix) {
    ServiceAccount account = Chart.named(resources, ServiceAccount.class, suffix);
    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
    assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
    assertThat(subject.getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(account.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
  }

  static List<String> rules(List<PolicyRule> rules) {
    return rules.stream().map(RbacTest::rule).toList();
  }

  private static String rule(PolicyRule rule) {
    return String.join(",", rule.getApiGroups())
        + " "
        + String.join(",", rule.getResources())
        + " "
        + rule.getResourceNames().stream().collect(Collectors.joining(",", "[", "]"))
        + " "
        + String.join(",", rule.getVerbs());
  }
}
