package io.ffmpegoperator.bench;

import io.ffmpegoperator.operator.WebhookSettings;
import java.util.Locale;

/**
 * 9. What a service integrating with the platform meets beyond one task's latency: how soon its
 * webhook is called once a task has completed ({@link WebhookLatency}), and how two clients with
 * running limits share the cluster, against the same work with keys off ({@link ClientSharing}).
 */
final class Integrations implements Item {
  private static final String TITLE =
      "## 9. Integrations: webhooks, and two clients sharing the cluster\n\n";

  @Override
  public String run(BenchContext bench) throws Exception {
    Plan plan = bench.plan();
    WebhookLatency.Result hooks = WebhookLatency.measure(bench, plan.webhookTasks());
    ClientSharing.Result sharing = ClientSharing.measure(bench, plan.clientBurst());
    StringBuilder s = new StringBuilder(TITLE);
    webhooks(s, hooks);
    sharing(s, sharing, plan.clientBurst(), bench);
    findings(bench, hooks, sharing);
    return s.toString();
  }

  private static void webhooks(StringBuilder s, WebhookLatency.Result r) {
    Stats l = r.latencyMs();
    s.append("### Webhook delivery after completion\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "%d small tasks (item 2's `%s` on the 1 s clip) registered back to back on the main"
                + " stack, each with a `webhook_url` on a receiver in the bench's JVM (loopback, which the stack's"
                + " address policy allows). The receiver checks each call's"
                + " `X-FFmpeg-Operator-Signature` as the README's does (HMAC-SHA256 of"
                + " `\"<t>.<raw body>\"` under the secret the stack keeps in its home, compared in"
                + " constant time, `t` within %d s) and answers 204 at once. The time is from the"
                + " moment the bench's own watch on FfmpegTasks saw the task Completed to the"
                + " moment its first call arrived, both on the bench's clock: the operator's status"
                + " write, the reconcile that follows it and sends, and the HTTP call. The tasks"
                + " run side by side, so the sends share the operator and the cores with the"
                + " other tasks' pods. A retry, had one been needed, would add the schedule's"
                + " first wait of %d s.\n\n",
            r.tasks(),
            BenchContext.SMALL_COMMAND,
            WebhookReceiver.TOLERANCE_SECONDS,
            WebhookSettings.DEFAULT_FIRST_RETRY.toSeconds()));
    s.append(
        "| metric | p50 | p95 | max | N | target | met |\n|---|---:|---:|---:|---:|---|---|\n");
    s.append(
        String.format(
            Locale.ROOT,
            "| Completed seen → webhook arrived (ms) | %.0f | %.0f | %.0f | %d | | |\n\n",
            l.percentile(50),
            l.percentile(95),
            l.max(),
            l.n()));
    s.append("| count | value | target | met |\n|---|---:|---|---|\n");
    s.append(
        String.format(
            Locale.ROOT,
            "| tasks completed / registered | %d / %d | all | %s |\n",
            r.completed(),
            r.tasks(),
            Report.yesOrNo(r.completed() == r.tasks())));
    s.append(String.format(Locale.ROOT, "| calls received | %d | | |\n", r.calls()));
    s.append(
        String.format(
            Locale.ROOT,
            "| calls with a bad signature | %d | 0 | %s |\n",
            r.badSignatures(),
            Report.yesOrNo(r.badSignatures() == 0)));
    s.append(
        String.format(
            Locale.ROOT,
            "| completed tasks whose call never arrived | %d | 0 | %s |\n",
            r.undelivered(),
            Report.yesOrNo(r.undelivered() == 0)));
    s.append(
        String.format(
            Locale.ROOT,
            "| deliveries that took more than one attempt (`status.webhook.attempts`) | %d | | |\n",
            r.retried()));
    s.append(
        String.format(
            Locale.ROOT,
            "| calls repeating a delivery id the receiver already had | %d | | |\n\n",
            r.repeats()));
  }

  private static void sharing(StringBuilder s, ClientSharing.Result r, int m, BenchContext bench) {
    ClientSharing.Run on = r.shared();
    ClientSharing.Run off = r.baseline();
    int cores = Runtime.getRuntime().availableProcessors();
    double lone = r.loneMs().median();
    s.append("### Two clients sharing the cluster\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "A stack of its own, started beside the main one (whose warm pods idle), with %d warm"
                + " workers like it and two API keys: clients `%s` and `%s`, each"
                + " `max-running=%d`. That is half of this machine's %d cores each: while both"
                + " have work their limits together fill the cores (one working pod per core,"
                + " which is what item 3 finds the cores allow), and a client alone gets half"
                + " the machine, which is what a limit can cost. %s registers %d small tasks one"
                + " after another, %d ms later %s registers %d; over its limit a client's tasks"
                + " wait Pending (reason Queued) and start as its running ones end. Each burst is"
                + " timed from its client's first register to the bench's watch seeing its tasks"
                + " finished. A task holds a slot while it has a Job and has not finished, what"
                + " the operator counts; the bench counts each client's after every watch event."
                + " The baseline is the same two bursts on the main stack with keys off: one"
                + " client, no limit. \"One task alone\" is the median register → completed of"
                + " %d small tasks registered one at a time on the clients' stack (%.0f ms).\n\n",
            bench.warmPool().count(),
            ClientSharing.FIRST,
            ClientSharing.SECOND,
            r.limit(),
            cores,
            ClientSharing.FIRST,
            m,
            ClientSharing.SECOND_AFTER.toMillis(),
            ClientSharing.SECOND,
            m,
            r.loneMs().n(),
            lone));
    s.append(
        String.format(
            Locale.ROOT,
            "| per burst | %s (limit %d) | %s (limit %d) | keys off: first %d | keys off: second"
                + " %d |\n|---|---:|---:|---:|---:|\n",
            ClientSharing.FIRST,
            r.limit(),
            ClientSharing.SECOND,
            r.limit(),
            m,
            m));
    s.append(
        row(
            "tasks/s over its own span",
            "%.2f",
            on.first().tasksPerS(),
            on.second().tasksPerS(),
            off.first().tasksPerS(),
            off.second().tasksPerS()));
    s.append(
        row(
            "span: first register → last finished (s)",
            "%.1f",
            on.first().spanS(),
            on.second().spanS(),
            off.first().spanS(),
            off.second().spanS()));
    s.append(
        row(
            "first register → first task had a Job (s)",
            "%.2f",
            on.first().firstJobMs() / 1000,
            on.second().firstJobMs() / 1000,
            off.first().firstJobMs() / 1000,
            off.second().firstJobMs() / 1000));
    s.append(
        row(
            "first register → first finished (s)",
            "%.2f",
            on.first().firstDoneMs() / 1000,
            on.second().firstDoneMs() / 1000,
            off.first().firstDoneMs() / 1000,
            off.second().firstDoneMs() / 1000));
    s.append(
        String.format(
            Locale.ROOT,
            "| tasks that claimed a warm worker | %d | %d | %d | %d |\n",
            on.first().onWarm(),
            on.second().onWarm(),
            off.first().onWarm(),
            off.second().onWarm()));
    s.append(
        String.format(
            Locale.ROOT,
            "| tasks that had a Job before one registered ahead of them | %d | %d | %d | %d |\n",
            on.first().outOfOrder(),
            on.second().outOfOrder(),
            off.first().outOfOrder(),
            off.second().outOfOrder()));
    s.append(
        String.format(
            Locale.ROOT,
            "| failed | %d | %d | %d | %d |\n",
            on.first().failed(),
            on.second().failed(),
            off.first().failed(),
            off.second().failed()));
    s.append(
        String.format(
            Locale.ROOT,
            "| most holding a slot at once | %d | %d | %d (both bursts) | %d (both bursts) |\n\n",
            on.first().mostHolding(),
            on.second().mostHolding(),
            off.first().mostHolding(),
            off.second().mostHolding()));
    double cost = 1 - on.totalTasksPerS() / off.totalTasksPerS();
    s.append(
        String.format(
            Locale.ROOT,
            "Both bursts together, first register → last finished (one run each): %.2f tasks/s"
                + " with the limits (%d of the %d tasks on a warm worker), %.2f tasks/s with keys"
                + " off (%d of %d); %s.\n\n",
            on.totalTasksPerS(),
            on.first().onWarm() + on.second().onWarm(),
            2 * m,
            off.totalTasksPerS(),
            off.first().onWarm() + off.second().onWarm(),
            2 * m,
            cost >= 0
                ? String.format(
                    Locale.ROOT, "the limits cost %.0f %% of the total throughput", cost * 100)
                : String.format(
                    Locale.ROOT,
                    "the limits cost nothing here: the total was %.0f %% higher with them",
                    -cost * 100)));
    double bobJob = on.second().firstJobMs();
    double bobFirst = on.second().firstDoneMs();
    s.append("| did each get its share | measured | target | met |\n|---|---:|---|---|\n");
    s.append(
        String.format(
            Locale.ROOT,
            "| %s's tasks waiting (Queued) when %s's burst began | %d | a backlog: ≥ 1 | %s |\n",
            ClientSharing.FIRST,
            ClientSharing.SECOND,
            on.queuedAtSecond(),
            Report.yesOrNo(on.queuedAtSecond() >= 1)));
    s.append(
        String.format(
            Locale.ROOT,
            "| %s's first register → his first task had a Job (ms) | %.0f | ≤ one task alone"
                + " (%.0f): it did not wait for one of %s's | %s |\n",
            ClientSharing.SECOND,
            bobJob,
            lone,
            ClientSharing.FIRST,
            Report.yesOrNo(bobJob <= lone)));
    s.append(
        String.format(
            Locale.ROOT,
            "| %s's first register → first finished (ms) | %.0f | ≤ 2 × one task alone (%.0f):"
                + " it waited at most about one task time | %s |\n",
            ClientSharing.SECOND,
            bobFirst,
            2 * lone,
            Report.yesOrNo(bobFirst <= 2 * lone)));
    for (ClientSharing.Burst b : new ClientSharing.Burst[] {on.first(), on.second()}) {
      String name = b == on.first() ? ClientSharing.FIRST : ClientSharing.SECOND;
      s.append(
          String.format(
              Locale.ROOT,
              "| most of %s's tasks holding a slot at once | %d | ≤ %d | %s |\n",
              name,
              b.mostHolding(),
              r.limit(),
              Report.yesOrNo(b.mostHolding() <= r.limit())));
    }
    s.append('\n');
  }

  private static String row(String name, String fmt, double... values) {
    StringBuilder row = new StringBuilder("| ").append(name).append(" |");
    for (double v : values) {
      row.append(' ').append(String.format(Locale.ROOT, fmt, v)).append(" |");
    }
    return row.append('\n').toString();
  }

  private static void findings(
      BenchContext bench, WebhookLatency.Result hooks, ClientSharing.Result sharing) {
    Stats l = hooks.latencyMs();
    bench.finding(
        String.format(
            Locale.ROOT,
            "Webhooks: a call arrived %.0f ms after the bench saw its task Completed (p50; p95"
                + " %.0f ms, max %.0f ms, %d tasks run side by side), %d bad signatures, %d"
                + " deliveries needing a retry. The first attempt waits for the reconcile that"
                + " follows the finished status's write (so a receiver that asks for the status"
                + " sees it finished) and is sent on that reconcile's thread.",
            l.percentile(50),
            l.percentile(95),
            l.max(),
            l.n(),
            hooks.badSignatures(),
            hooks.retried()));
    ClientSharing.Run on = sharing.shared();
    ClientSharing.Run off = sharing.baseline();
    ClientSharing.Burst bob = on.second();
    String bobsFirst =
        bob.firstOnWarm()
            ? "it claimed a warm worker"
            : String.format(
                Locale.ROOT,
                "it got a Job of its own and paid a worker JVM's start: the warm workers were"
                    + " taken (%d of %s's %d tasks claimed one). Each warm worker runs one task and"
                    + " its replacement is a new worker JVM, which takes longer to be ready than a"
                    + " small task takes, so one client working through small tasks one at a time"
                    + " empties the pool the other client's next task would claim: the limits"
                    + " share the slots, not the warm workers",
                on.first().onWarm(),
                ClientSharing.FIRST,
                on.first().tasks());
    int outOfOrder = on.first().outOfOrder() + bob.outOfOrder();
    String order =
        outOfOrder == 0
            ? ""
            : String.format(
                Locale.ROOT,
                " %d of %s's and %d of %s's tasks had a Job before one the same client registered"
                    + " ahead of them: the queue orders by creation time, which the API server"
                    + " keeps in whole seconds, then by name, so tasks registered within one second"
                    + " start in no set order.",
                on.first().outOfOrder(),
                ClientSharing.FIRST,
                bob.outOfOrder(),
                ClientSharing.SECOND);
    bench.finding(
        String.format(
            Locale.ROOT,
            "Client limits: with max-running=%d each and %d of %s's tasks waiting, %s's first task"
                + " had a Job %.0f ms after his burst began and finished after %.0f ms (one task"
                + " alone: %.0f ms); %s.%s The two bursts together ran at %.2f tasks/s"
                + " against %.2f with keys off. With the limits at most %d tasks hold a slot at"
                + " once, and %d while only one client has work, which leaves cores idle; but"
                + " each task that finds a warm worker skips a worker JVM's start (%d of %d did,"
                + " against %d of %d with keys off, where every task gets a Job at once and those"
                + " beyond the warm workers start their JVMs together on the same cores). Which"
                + " weighs more depends on how long a task runs against a worker JVM's start: for"
                + " tasks much longer than that start the idle cores would.",
            sharing.limit(),
            on.queuedAtSecond(),
            ClientSharing.FIRST,
            ClientSharing.SECOND,
            bob.firstJobMs(),
            bob.firstDoneMs(),
            sharing.loneMs().median(),
            bobsFirst,
            order,
            on.totalTasksPerS(),
            off.totalTasksPerS(),
            2 * sharing.limit(),
            sharing.limit(),
            on.first().onWarm() + bob.onWarm(),
            on.first().tasks() + bob.tasks(),
            off.first().onWarm() + off.second().onWarm(),
            off.first().tasks() + off.second().tasks()));
  }
}
