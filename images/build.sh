#!/usr/bin/env bash
# Builds the three container images named in images/images.properties, from the repo root context.
#
#   images/build.sh           build <registry>/<name>:<tag> for operator, api-bridge and worker with
#                             docker or podman; with neither (or no engine answering), say so and exit 0
#   images/build.sh --push    build, then push the three images (log in to the registry first)
#   images/build.sh --check   no engine needed: check the Dockerfiles (module, main class, pinned FROMs,
#                             numeric non-root USER, ...) and print the image names
#
# ENGINE=docker|podman picks the engine; otherwise docker, then podman, whichever answers.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
props="$here/images.properties"

die() {
  echo "images: $*" >&2
  exit 1
}

# ---- images.properties: the one source of names and tags -------------------------------------------
declare -A prop=()
[ -f "$props" ] || die "missing $props"
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  case "$line" in '' | '#'* | '!'*) continue ;; esac
  [[ "$line" == *=* ]] || continue
  key="${line%%=*}"
  value="${line#*=}"
  key="$(echo "$key" | xargs)"
  value="$(echo "$value" | xargs)"
  prop["$key"]="$value"
done <"$props"
for key in registry tag operator bridge worker; do
  [ -n "${prop[$key]:-}" ] || die "images.properties has no value for '$key'"
done

# component: properties key | Dockerfile folder and Maven module | main class
components=(
  "operator|operator|io.ffmpegoperator.operator.OperatorMain"
  "bridge|api-bridge|io.ffmpegoperator.bridge.BridgeMain"
  "worker|worker|io.ffmpegoperator.worker.WorkerMain"
)

image_of() { echo "${prop[registry]}/${prop[$1]}:${prop[tag]}"; }

all_images() {
  local c key names=()
  for c in "${components[@]}"; do
    IFS='|' read -r key _ _ <<<"$c"
    names+=("$(image_of "$key")")
  done
  local IFS=' '
  echo "${names[*]}"
}

# ---- --check -------------------------------------------------------------------------------------
# Prints a Dockerfile's instructions one per line, continuation lines joined, comments dropped.
instructions() {
  awk '
    /^[[:space:]]*#/ && cont == "" { next }
    {
      line = $0
      if (line ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, "", line); cont = cont line " "; next }
      line = cont line; cont = ""
      if (line ~ /^[[:space:]]*$/) next
      sub(/^[[:space:]]+/, "", line)
      print line
    }
    END { if (cont != "") print cont }
  ' "$1"
}

failures=0
fail() {
  echo "  FAIL: $*"
  failures=$((failures + 1))
}
ok() { echo "  ok:   $*"; }

check_dockerfile() {
  local key="$1" module="$2" main="$3"
  local file="$here/$module/Dockerfile" rel="images/$module/Dockerfile"
  echo "$rel -> $(image_of "$key")"
  if [ ! -f "$file" ]; then
    fail "$rel does not exist"
    return
  fi
  local ins
  ins="$(instructions "$file")"

  # Module: exists, is built with -pl <module> -am, and its own jar becomes /app/app.jar.
  local artifact=""
  if [ -f "$root/$module/pom.xml" ]; then
    artifact="$(awk '/<parent>/,/<\/parent>/ { next } /<artifactId>/ { gsub(/.*<artifactId>|<\/artifactId>.*/, ""); print; exit }' "$root/$module/pom.xml")"
  else
    fail "no Maven module $module/ (pom.xml missing)"
  fi
  if grep -Eq "mvn .*-pl $module -am package" <<<"$ins"; then
    ok "builds module $module (mvn -pl $module -am package)"
  else
    fail "no 'mvn ... -pl $module -am package' in a RUN"
  fi
  if grep -Eq "dependency:copy-dependencies .*-DincludeScope=runtime" <<<"$ins" \
    && grep -Fq "cp $module/target/lib/*.jar /out/lib/" <<<"$ins"; then
    ok "copies $module's runtime dependencies"
  else
    fail "runtime dependencies of $module are not copied (copy-dependencies -DincludeScope=runtime, cp $module/target/lib)"
  fi
  if [ -n "$artifact" ] && grep -Fq "cp $module/target/$artifact-*.jar /out/app.jar" <<<"$ins"; then
    ok "app.jar is $module/target/$artifact-*.jar"
  else
    fail "app.jar is not copied from $module/target/${artifact:-<artifactId>}-*.jar"
  fi

  # Main class: exists in the module's sources and is what ENTRYPOINT runs.
  local src="$root/$module/src/main/java/${main//.//}.java"
  if [ -f "$src" ] && grep -Eq 'public static void main\(' "$src"; then
    ok "main class $main exists"
  else
    fail "main class $main not found (or has no main) at ${src#"$root"/}"
  fi
  local entry
  entry="$(grep -E '^ENTRYPOINT' <<<"$ins" | tail -n 1 || true)"
  if [[ "$entry" == *'"-cp", "/app/lib/*:/app/app.jar", "'"$main"'"'* ]] && [[ "$entry" == 'ENTRYPOINT ["java"'* ]]; then
    ok "ENTRYPOINT java -cp /app/lib/*:/app/app.jar $main (exec form)"
  else
    fail "ENTRYPOINT is not [\"java\", ..., \"-cp\", \"/app/lib/*:/app/app.jar\", \"$main\"]: $entry"
  fi
  if [[ "$entry" == *MaxRAMPercentage* ]]; then
    ok "container-aware heap ($(grep -Eo 'MaxRAMPercentage=[0-9.]+' <<<"$entry"))"
  else
    fail "ENTRYPOINT sets no -XX:MaxRAMPercentage"
  fi

  # Every FROM: a stage of this file, or an image pinned to a tag (not latest) or a digest.
  local stages=() from image stage
  while read -r from; do
    # FROM [--platform=...] image [AS name]
    set -- $from
    shift
    while [[ "${1:-}" == --* ]]; do shift; done
    image="${1:-}"
    stage=""
    if [[ "${2:-}" =~ ^[Aa][Ss]$ ]]; then stage="${3:-}"; fi
    if printf '%s\n' "${stages[@]:-}" | grep -Fxq -- "$image"; then
      ok "FROM $image (an earlier stage)"
    elif [[ "$image" == *'$'* ]]; then
      fail "FROM $image uses a variable; pin the image in the file"
    elif [[ "$image" == *@sha256:* ]]; then
      ok "FROM $image (digest)"
    elif [[ "${image##*/}" == *:* ]]; then
      local tag="${image##*:}"
      if [ "$tag" = latest ]; then fail "FROM $image is not pinned (latest)"; else ok "FROM $image (tag $tag)"; fi
    else
      fail "FROM $image has no tag (means latest)"
    fi
    [ -n "$stage" ] && stages+=("$stage")
  done < <(grep -E '^FROM[[:space:]]' <<<"$ins")

  # USER of the final stage: numeric, non-root uid and gid.
  local last_stage user
  last_stage="$(awk '/^FROM[[:space:]]/ { block = "" } { block = block $0 "\n" } END { printf "%s", block }' <<<"$ins")"
  user="$(grep -E '^USER[[:space:]]' <<<"$last_stage" | tail -n 1 | awk '{ print $2 }' || true)"
  if [[ "$user" =~ ^([0-9]+)(:([0-9]+))?$ ]] && [ "${BASH_REMATCH[1]}" != 0 ] && [ "${BASH_REMATCH[3]:-1}" != 0 ]; then
    if [ "$user" = "65532:65532" ]; then
      ok "USER $user (numeric, non-root, the pods' runAsUser/runAsGroup)"
    else
      ok "USER $user (numeric, non-root; the pods run as 65532:65532)"
    fi
  else
    fail "final stage USER '${user:-<none>}' is not a numeric non-root uid[:gid]"
  fi

  # Per-image specifics.
  case "$module" in
    operator) expect_expose 8080 "$last_stage" ;;
    api-bridge) expect_expose 8000 "$last_stage" ;;
    worker)
      if grep -Eq '^WORKDIR[[:space:]]+/work/?$' <<<"$last_stage"; then
        ok "WORKDIR /work (the operator's scratch volume and workingDir)"
      else
        fail "final stage has no WORKDIR /work"
      fi
      ;;
  esac
  # Images whose code reads FFMPEG_PATH/FFPROBE_PATH (the worker, and the bridge through it) set both.
  if grep -rqs 'FfmpegBinaries' "$root/$module/src/main"; then
    local var
    for var in FFMPEG_PATH FFPROBE_PATH; do
      if grep -Eq "^ENV .*\b$var=/" <<<"$last_stage"; then
        ok "ENV $var=$(grep -Eo "\b$var=[^ ]+" <<<"$last_stage" | head -n 1 | cut -d= -f2)"
      else
        fail "$module reads $var but the image does not set it"
      fi
    done
  fi
  for label in source version title; do
    if grep -Eq "^LABEL .*org\.opencontainers\.image\.$label=" <<<"$last_stage"; then
      ok "LABEL org.opencontainers.image.$label"
    else
      fail "no LABEL org.opencontainers.image.$label"
    fi
  done

  if command -v hadolint >/dev/null 2>&1; then
    if hadolint "$file"; then ok "hadolint"; else fail "hadolint"; fi
  fi
}

expect_expose() {
  if grep -Eq "^EXPOSE([[:space:]].*)?[[:space:]]$1(/tcp)?([[:space:]]|$)" <<<"$2"; then
    ok "EXPOSE $1"
  else
    fail "no EXPOSE $1"
  fi
}

check() {
  echo "images.properties: registry=${prop[registry]} tag=${prop[tag]} operator=${prop[operator]} bridge=${prop[bridge]} worker=${prop[worker]}"
  local c key module main
  for c in "${components[@]}"; do
    IFS='|' read -r key module main <<<"$c"
    check_dockerfile "$key" "$module" "$main"
  done

  # The operator's default worker image must be the worker named here (the chart is checked by helm's tests).
  local config="$root/operator/src/main/java/io/ffmpegoperator/operator/OperatorConfig.java" default=""
  echo "cross-checks"
  if [ -f "$config" ]; then
    default="$(sed -n 's/.*DEFAULT_WORKER_IMAGE *= *"\([^"]*\)".*/\1/p' "$config" | head -n 1)"
  fi
  if [ "$default" = "$(image_of worker)" ]; then
    ok "OperatorConfig.DEFAULT_WORKER_IMAGE = $default"
  else
    fail "OperatorConfig.DEFAULT_WORKER_IMAGE is '${default:-<not found>}', images.properties says $(image_of worker)"
  fi
  if [ -f "$root/.dockerignore" ] && grep -Eq '^(\*\*/)?target/?$' "$root/.dockerignore"; then
    ok ".dockerignore keeps target/ out of the build context"
  else
    fail ".dockerignore at the repo root should exclude target/"
  fi
  command -v hadolint >/dev/null 2>&1 || echo "  note: hadolint not installed; lint skipped"

  echo "images: $(all_images)"
  if [ "$failures" -gt 0 ]; then
    echo "images: check FAILED ($failures problem(s))"
    return 1
  fi
  echo "images: check passed"
}

# ---- build ---------------------------------------------------------------------------------------
engine_answers() {
  command -v "$1" >/dev/null 2>&1 || return 1
  if command -v timeout >/dev/null 2>&1; then
    timeout 20 "$1" info >/dev/null 2>&1
  else
    "$1" info >/dev/null 2>&1
  fi
}

find_engine() {
  local candidates=(docker podman) e
  [ -n "${ENGINE:-}" ] && candidates=("$ENGINE")
  for e in "${candidates[@]}"; do
    if engine_answers "$e"; then
      echo "$e"
      return 0
    fi
  done
  return 1
}

engine_status() {
  local e parts=()
  for e in "$@"; do
    if command -v "$e" >/dev/null 2>&1; then parts+=("$e installed but its engine does not answer"); else parts+=("no $e"); fi
  done
  local IFS=';'
  echo "${parts[*]}" | sed 's/;/; /g'
}

build() {
  local push="$1" engine
  if ! engine="$(find_engine)"; then
    echo "images: no container engine found ($(engine_status ${ENGINE:-docker podman})); would have built: $(all_images)"
    return 0
  fi
  local c key module main image
  for c in "${components[@]}"; do
    IFS='|' read -r key module main <<<"$c"
    image="$(image_of "$key")"
    echo "images: $engine build $image (images/$module/Dockerfile)"
    # BuildKit for docker: the Dockerfiles use RUN --mount=type=cache (podman/buildah support it natively).
    DOCKER_BUILDKIT=1 "$engine" build \
      -f "$here/$module/Dockerfile" \
      --build-arg "VERSION=${prop[tag]}" \
      -t "$image" \
      "$root"
  done
  if [ "$push" = yes ]; then
    for c in "${components[@]}"; do
      IFS='|' read -r key _ _ <<<"$c"
      image="$(image_of "$key")"
      echo "images: $engine push $image"
      "$engine" push "$image"
    done
  fi
  if [ "$push" = yes ]; then echo "images: built and pushed $(all_images)"; else echo "images: built $(all_images)"; fi
}

case "${1:-}" in
  --check) check ;;
  --push) build yes ;;
  '') build no ;;
  -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown option '$1' (try --check, --push or --help)" ;;
esac
