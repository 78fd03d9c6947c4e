package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.dev.kube.FileBackedStore.Issued;
import io.ffmpegoperator.dev.kube.FileBackedStore.StoredObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBackedStoreTest {

  @TempDir Path dir;

  @Test
  void keepsOneFilePerObjectWhereItsPathSays() {
    FileBackedStore store = new FileBackedStore(dir);
    ResourcePath job = ResourcePath.ofObject("batch/v1", "default", "jobs", "j1");
    ResourcePath ns = ResourcePath.ofObject("v1", null, "namespaces", "default");
    store.put(job, "{\"v\":1}");
    store.put(job, "{\"v\":2}");
    store.put(ns, "{}");

    assertThat(dir.resolve("objects/apis/batch/v1/namespaces/default/jobs/j1.json"))
        .hasContent("{\"v\":2}");
    assertThat(new FileBackedStore(dir).loadAll())
        .containsExactlyInAnyOrder(new StoredObject(job, "{\"v\":2}"), new StoredObject(ns, "{}"));

    store.remove(job);
    assertThat(store.loadAll()).containsExactly(new StoredObject(ns, "{}"));
  }

  @Test
  void dropsTempFilesLeftByACrash() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("objects/api/v1/namespaces"));
    Path temp = Files.writeString(folder.resolve(".x.json.tmp"), "{half");
    assertThat(new FileBackedStore(dir).loadAll()).isEmpty();
    assertThat(temp).doesNotExist();
  }

  @Test
  void remembersTheHighestIssuedCounters() {
    FileBackedStore store = new FileBackedStore(dir);
    assertThat(store.loadIssued()).isEqualTo(new Issued(0, 0));
    store.saveIssued(new Issued(12, 7).max(new Issued(3, 9)));
    assertThat(new FileBackedStore(dir).loadIssued()).isEqualTo(new Issued(12, 9));
  }

  @Test
  void refusesPathsOutsideItsFolder() {
    FileBackedStore store = new FileBackedStore(dir);
    assertThatThrownBy(() -> store.put(new ResourcePath("..", "..", null, "..", "x", null), "{}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
