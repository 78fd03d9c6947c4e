package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica leads, as leader election last said, and what happens when it stops leading
 * without being asked to: a replica that may no longer reconcile must not go on, so by default the
 * process exits and Kubernetes starts it again as a standby.
 */
public final class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final Runnable onLost;
  private final AtomicBoolean leading = new AtomicBoolean();
  private volatile boolean elected;
  private volatile String leader;
  private volatile boolean steppingDown;

  private Leadership(Runnable onLost) {
    this.onLost = onLost;
  }

  /** For the operator's own process: losing the Lease ends it (exit status 1). */
  public static Leadership exitingOnLoss() {
    return new Leadership(
        () -> {
          LOG.error("Lost the leader Lease: exiting so that only the new leader reconciles");
          System.exit(1);
        });
  }

  /** For tests and embedders that stop the operator themselves on a loss. */
  static Leadership callingOnLoss(Runnable onLost) {
    return new Leadership(onLost);
  }

  /** True while this replica may reconcile: always without leader election. */
  public boolean isLeader() {
    return !elected || leading.get();
  }

  /** The identity of the Lease's holder as last seen; null before any is seen. */
  public String leader() {
    return leader;
  }

  /** Whether replicas elect a leader at all. */
  public boolean elected() {
    return elected;
  }

  void electing() {
    elected = true;
    steppingDown = false;
  }

  /** The operator is being stopped: giving up the Lease now is expected, not a loss. */
  void steppingDown() {
    steppingDown = true;
  }

  LeaderCallbacks callbacks(String identity) {
    return new LeaderCallbacks(
        () -> {
          leading.set(true);
          LOG.info("{} is now the leader and reconciles", identity);
        },
        () -> {
          boolean wasLeading = leading.getAndSet(false);
          if (steppingDown) {
            LOG.info("{} stopped leading because the operator is stopping", identity);
          } else if (wasLeading) {
            onLost.run();
          }
        },
        newLeader -> leader = newLeader);
  }

  /**
   * Hands the Lease back after the operator stopped, so a standby takes over at its next try
   * instead of waiting for the Lease to expire. Does nothing unless this replica holds it.
   */
  void release(KubernetesClient client, String namespace, String name, String identity) {
    try {
      Lease lease = client.resources(Lease.class).inNamespace(namespace).withName(name).get();
      if (lease == null
          || lease.getSpec() == null
          || !Objects.equals(identity, lease.getSpec().getHolderIdentity())) {
        return;
      }
      // What fabric8's own release writes: no holder, a lease that is over at once.
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.now());
      // Carries the resourceVersion just read: if anyone changed the Lease since, this fails.
      client.resources(Lease.class).inNamespace(namespace).resource(lease).update();
      LOG.info("{} released the Lease {}/{}", identity, namespace, name);
    } catch (KubernetesClientException e) {
      LOG.warn("Could not release the Lease {}/{}: {}", namespace, name, e.toString());
    }
  }
}
