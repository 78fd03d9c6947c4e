package io.ffmpegoperator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the kernel's memory cgroup files, v1 and v2, shaped as the kernel writes them. */
class MemoryCgroupTest {
  @TempDir Path mount;

  @Test
  void v2CountsOomKillsAndReadsTheLimit() throws Exception {
    events(0);
    Files.writeString(mount.resolve("memory.max"), "67108864\n");
    MemoryCgroup cgroup = new MemoryCgroup(mount);

    assertThat(cgroup.oomKills()).hasValue(0);
    events(1);
    assertThat(cgroup.oomKills()).hasValue(1);
    assertThat(cgroup.limitBytes()).hasValue(64L << 20);
    assertThat(cgroup.outOfMemoryMessage()).isEqualTo("out of memory (limit 64Mi)");
  }

  @Test
  void v2WithoutALimitSaysSo() throws Exception {
    events(2);
    Files.writeString(mount.resolve("memory.max"), "max\n");
    MemoryCgroup cgroup = new MemoryCgroup(mount);

    assertThat(cgroup.limitBytes()).isEmpty();
    assertThat(cgroup.outOfMemoryMessage()).isEqualTo("out of memory (no limit)");
  }

  @Test
  void v1CountsOomKillsAndReadsTheLimit() throws Exception {
    Path memory = Files.createDirectory(mount.resolve("memory"));
    Files.writeString(
        memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    Files.writeString(memory.resolve("memory.limit_in_bytes"), "2147483648\n");
    MemoryCgroup cgroup = new MemoryCgroup(mount);

    assertThat(cgroup.oomKills()).hasValue(1);
    assertThat(cgroup.outOfMemoryMessage()).isEqualTo("out of memory (limit 2Gi)");
  }

  @Test
  void v1UnlimitedIsNoLimit() throws Exception {
    Path memory = Files.createDirectory(mount.resolve("memory"));
    Files.writeString(memory.resolve("memory.limit_in_bytes"), "9223372036854771712\n");

    assertThat(new MemoryCgroup(mount).limitBytes()).isEmpty();
  }

  @Test
  void anOlderV1KernelOrNoCgroupCountsNothing() throws Exception {
    assertThat(new MemoryCgroup(mount).oomKills()).isEmpty();
    assertThat(new MemoryCgroup(mount).outOfMemoryMessage()).isEqualTo("out of memory (no limit)");
    // Before 4.13 the v1 file has no oom_kill line.
    Path memory = Files.createDirectory(mount.resolve("memory"));
    Files.writeString(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\n");
    assertThat(new MemoryCgroup(mount).oomKills()).isEqualTo(OptionalLong.empty());
  }

  @Test
  void limitsAreWrittenAsAPodsLimitWouldBe() {
    assertThat(MemoryCgroup.quantity(256L << 20)).isEqualTo("256Mi");
    assertThat(MemoryCgroup.quantity(1536L << 20)).isEqualTo("1536Mi");
    assertThat(MemoryCgroup.quantity(3L << 30)).isEqualTo("3Gi");
    assertThat(MemoryCgroup.quantity(64_000_000)).isEqualTo("64M");
    assertThat(MemoryCgroup.quantity(12_345)).isEqualTo("12345");
  }

  /** memory.events of cgroup v2 with {@code oomKills} kills. */
  private void events(int oomKills) throws Exception {
    Files.writeString(
        mount.resolve("memory.events"),
        "low 0\nhigh 0\nmax 3\noom "
            + oomKills
            + "\noom_kill "
            + oomKills
            + "\noom_group_kill 0\n");
  }
}
