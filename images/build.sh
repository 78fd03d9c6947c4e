#!/usr/bin/env bash
# Builds the three container images named in images/images.properties.
#
#   images/build.sh          build <registry>/<name>:<tag> for operator, api-bridge and worker
#   images/build.sh --push   build, then push the three images (log in to the registry first)
#
# Three steps: Maven packages each program with its runtime jars into <module>/target/image/; the
# two base images (Debian 12 + OpenJDK 17 JRE, and the same + ffmpeg) are made once; each image is
# its base plus the program. The bases come from images/base/Dockerfile when a registry serves
# debian:12-slim, else from the same Debian release's packages with mmdebstrap — the same packages
# and the same finish-rootfs.sh either way.
#
# ENGINE=podman|docker picks the engine (default: podman, then docker, whichever answers).
# MVN overrides the Maven command (default: mvn -B).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
MVN="${MVN:-mvn -B}"
# The project's podman settings (runtime, rlimits), unless the user has their own.
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

die() {
  echo "images: $*" >&2
  exit 1
}

# ---- names and tags: images.properties -----------------------------------------------------------
declare -A prop=()
while IFS='=' read -r key value; do
  case "$key" in '' | '#'* | '!'*) continue ;; esac
  key="${key//[[:space:]]/}"
  value="${value#"${value%%[![:space:]]*}"}"
  prop["$key"]="${value%"${value##*[![:space:]]}"}"
done <"$here/images.properties"
for key in registry tag operator bridge worker; do
  [ -n "${prop[$key]:-}" ] || die "images.properties has no value for '$key'"
done
image_of() { echo "${prop[registry]}/${prop[$1]}:${prop[tag]}"; }

# key in images.properties | Maven module and Dockerfile folder | base
components=("operator|operator|jre" "bridge|api-bridge|jre-ffmpeg" "worker|worker|jre-ffmpeg")

# ---- the bases -----------------------------------------------------------------------------------
DEBIAN_RELEASE=bookworm # debian:12-slim's release; the two ways must make the same system
declare -A base_packages=(
  [jre]="ca-certificates openjdk-17-jre-headless"
  [jre-ffmpeg]="ca-certificates openjdk-17-jre-headless ffmpeg"
)

# The base's name carries a hash of what makes it, so a change of packages or script makes a new one.
base_image() {
  local hash
  hash="$( (echo "$DEBIAN_RELEASE ${base_packages[$1]}" && cat "$here/base/Dockerfile" "$here/base/finish-rootfs.sh") | sha256sum | cut -c1-12)"
  echo "localhost/ffmpeg-operator/base-$1:$DEBIAN_RELEASE-$hash"
}

with_ffmpeg() { [[ " ${base_packages[$1]} " == *" ffmpeg "* ]] && echo yes || true; }

make_base() {
  local name="$1" image
  image="$(base_image "$name")"
  if "$engine" image inspect "$image" >/dev/null 2>&1; then
    echo "images: base $image (already built)"
    return
  fi
  if "$engine" pull -q debian:12-slim >/dev/null 2>&1; then
    echo "images: base $image from debian:12-slim (images/base/Dockerfile)"
    "$engine" build -q -f "$here/base/Dockerfile" \
      --build-arg "PACKAGES=${base_packages[$name]}" --build-arg "WITH_FFMPEG=$(with_ffmpeg "$name")" \
      -t "$image" "$here/base" >/dev/null
    return
  fi
  command -v mmdebstrap >/dev/null 2>&1 \
    || die "no registry serves debian:12-slim and mmdebstrap is not installed: apt-get install mmdebstrap (or log in to a registry)"
  echo "images: base $image from Debian $DEBIAN_RELEASE packages (mmdebstrap; no registry serves debian:12-slim)"
  local tar
  tar="$(mktemp --suffix=.tar)"
  # minbase without documentation (licences kept), as debian:12-slim is; the same script finishes it.
  # OpenJDK's postinst registers man pages with update-alternatives and fails without man1/.
  WITH_FFMPEG="$(with_ffmpeg "$name")" mmdebstrap --quiet --variant=minbase \
    --include="$(echo "${base_packages[$name]}" | tr ' ' ',')" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook="copy-in $here/base/finish-rootfs.sh /tmp" \
    --customize-hook='chroot "$1" env WITH_FFMPEG="$WITH_FFMPEG" sh /tmp/finish-rootfs.sh' \
    --customize-hook='rm "$1/tmp/finish-rootfs.sh"' \
    "$DEBIAN_RELEASE" "$tar"
  "$engine" import --change 'CMD ["/bin/sh"]' "$tar" "$image" >/dev/null 2>&1
  rm -f "$tar"
}

# ---- the programs --------------------------------------------------------------------------------
# Each module's jar as app.jar and its runtime-scope dependencies in lib/: the images' contexts.
package_programs() {
  local modules=() c module
  for c in "${components[@]}"; do
    IFS='|' read -r _ module _ <<<"$c"
    modules+=("$module")
  done
  echo "images: mvn package ${modules[*]} (with their runtime jars)"
  (cd "$root" && $MVN -q -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am package \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/image/lib)
  for module in "${modules[@]}"; do
    local jar
    jar="$(ls "$root/$module/target/"*.jar | grep -v -- '-tests\.jar$' | head -n 1)"
    [ -f "$jar" ] || die "no jar in $module/target"
    cp "$jar" "$root/$module/target/image/app.jar"
  done
}

# ---- engine --------------------------------------------------------------------------------------
find_engine() {
  local e
  for e in ${ENGINE:-podman docker}; do
    if command -v "$e" >/dev/null 2>&1 && timeout 20 "$e" info >/dev/null 2>&1; then
      echo "$e"
      return 0
    fi
  done
  return 1
}

build() {
  local push="$1" started=$SECONDS
  engine="$(find_engine)" \
    || die "no container engine answers (tried: ${ENGINE:-podman docker}). On Debian: apt-get install podman runc mmdebstrap"
  package_programs
  make_base jre
  make_base jre-ffmpeg
  local c key module base image
  for c in "${components[@]}"; do
    IFS='|' read -r key module base <<<"$c"
    image="$(image_of "$key")"
    echo "images: $engine build $image (images/$module/Dockerfile on $(base_image "$base"))"
    "$engine" build -q -f "$here/$module/Dockerfile" \
      --build-arg "BASE=$(base_image "$base")" --build-arg "VERSION=${prop[tag]}" \
      -t "$image" "$root/$module/target/image" >/dev/null
  done
  # The images these replaced keep only their layers that nothing else uses: drop them.
  local title
  for c in "${components[@]}"; do
    IFS='|' read -r _ module _ <<<"$c"
    title="ffmpeg-operator-$module"
    "$engine" image prune --force --filter "label=org.opencontainers.image.title=$title" >/dev/null
  done
  for c in "${components[@]}"; do
    IFS='|' read -r key _ _ <<<"$c"
    "$engine" image inspect --format "images: built {{index .RepoTags 0}}  {{.Size}} bytes" "$(image_of "$key")"
    if [ "$push" = yes ]; then "$engine" push "$(image_of "$key")"; fi
  done
  echo "images: done in $((SECONDS - started)) s"
}

case "${1:-}" in
  '') build no ;;
  --push) build yes ;;
  -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown option '$1' (try --push or --help)" ;;
esac
