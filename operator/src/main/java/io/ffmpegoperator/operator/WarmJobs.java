package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.ffmpegoperator.crds.CrdConstants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a warm worker's Job says, read the same way by every part and every replica: whether a task
 * has claimed it, whether its pod has asked for an order, the hash of its pod's token. Everything
 * the warm workers need survives a restart and is shared by replicas because it is kept here, in
 * the Jobs, and nowhere else.
 */
final class WarmJobs {
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** On a claimed warm Job: the name of the task that claimed it. */
  static final String TASK_ANNOTATION = CrdConstants.GROUP + "/task";

  /** On a claimed warm Job: when it was claimed, the start of the task's run (RFC 3339). */
  static final String CLAIMED_AT_ANNOTATION = CrdConstants.GROUP + "/claimed-at";

  /** On a warm Job whose pod has reached the order endpoint: when it first did (RFC 3339). */
  static final String ASKED_AT_ANNOTATION = CrdConstants.GROUP + "/asked-at";

  /** On a warm Job: the SHA-256 (hex) of its pod's token; the token is only in its Secret. */
  static final String TOKEN_HASH_ANNOTATION = CrdConstants.GROUP + "/token-sha256";

  /** Marks the Secret that holds a warm worker pod's token. */
  static final String TOKEN_SECRET_LABEL = CrdConstants.GROUP + "/warm-token";

  /** The key of the token in that Secret, and so the name of the file the pod reads. */
  static final String TOKEN_KEY = "token";

  private static final String BEARER = "Bearer ";
  private static final int TOKEN_BYTES = 32;

  private WarmJobs() {}

  /** The task that claimed {@code job}, or null while it is unclaimed. */
  static String taskOf(Job job) {
    return annotation(job, TASK_ANNOTATION);
  }

  /** Not finished (no Complete or Failed condition yet) and not being deleted. */
  static boolean isLive(Job job) {
    JobObservation.Phase phase = JobObservation.of(job).phase();
    return job.getMetadata().getDeletionTimestamp() == null
        && (phase == JobObservation.Phase.WAITING || phase == JobObservation.Phase.ACTIVE);
  }

  /** Unclaimed and live: waiting for a task. */
  static boolean isUnclaimed(Job job) {
    return taskOf(job) == null && isLive(job);
  }

  /**
   * Unclaimed, live, and its pod has reached the order endpoint: a task may be given to it. A pod
   * that can never reach the operator (a network policy, a wrong URL) is never marked, so no task
   * waits on it.
   */
  static boolean isClaimable(Job job) {
    return isUnclaimed(job) && annotation(job, ASKED_AT_ANNOTATION) != null;
  }

  /** The Secret of the Job's token: named after the Job, deleted with it. */
  static String tokenSecretName(String jobName) {
    return jobName + "-token";
  }

  /** A new warm Job's name: {@code fft-warm-} and ten random letters and digits. */
  static String newName(SecureRandom random) {
    StringBuilder name = new StringBuilder("fft-warm-");
    for (int i = 0; i < 10; i++) {
      name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    return name.toString();
  }

  /** A new token for a warm worker pod: 32 random bytes, base64url. */
  static String newToken(SecureRandom random) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What the Job keeps of a token: its SHA-256, hex. */
  static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Whether an Authorization header carries the token whose hash {@code job} keeps. */
  static boolean tokenMatches(Job job, String authorization) {
    String expected = annotation(job, TOKEN_HASH_ANNOTATION);
    if (expected == null || authorization == null || !authorization.startsWith(BEARER)) {
      return false;
    }
    String given = hash(authorization.substring(BEARER.length()));
    // Constant time: how much of a guess matched must not show in how long the answer takes.
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII));
  }

  /** Applies the JSON merge patch {@code patch} to {@code job}; returns the Job as now stored. */
  static Job mergePatch(KubernetesClient client, Job job, String patch) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(job.getMetadata().getNamespace())
        .withName(job.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** {@code namespace/name}. */
  static String key(Job job) {
    return key(job.getMetadata().getNamespace(), job.getMetadata().getName());
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static String annotation(Job job, String key) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
