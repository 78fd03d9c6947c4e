package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeadershipTest {
  private final AtomicInteger losses = new AtomicInteger();
  private final Leadership leadership = Leadership.callingOnLoss(losses::incrementAndGet);

  @Test
  void withoutElectionThisReplicaAlwaysLeads() {
    assertThat(leadership.isLeader()).isTrue();
    assertThat(leadership.elected()).isFalse();
  }

  @Test
  void losingTheLeaseUnaskedIsALoss() {
    leadership.electing();
    LeaderCallbacks callbacks = leadership.callbacks("a");
    assertThat(leadership.isLeader()).isFalse();
    callbacks.onNewLeader("a");
    callbacks.onStartLeading();
    assertThat(leadership.isLeader()).isTrue();
    assertThat(leadership.leader()).isEqualTo("a");

    callbacks.onStopLeading();
    assertThat(leadership.isLeader()).isFalse();
    assertThat(losses).hasValue(1);
  }

  @Test
  void givingTheLeaseUpOnStopIsNoLoss() {
    leadership.electing();
    LeaderCallbacks callbacks = leadership.callbacks("a");
    callbacks.onStartLeading();
    leadership.steppingDown();
    callbacks.onStopLeading();
    assertThat(leadership.isLeader()).isFalse();
    assertThat(losses).hasValue(0);
  }

  @Test
  void aStandbyThatNeverLedLosesNothing() {
    leadership.electing();
    leadership.callbacks("b").onStopLeading();
    assertThat(losses).hasValue(0);
  }
}
