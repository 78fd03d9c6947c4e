#!/bin/sh
# Runs inside a fresh Debian root filesystem, as root, as the last step of making a base image:
# from images/base/Dockerfile (RUN) when a registry serves debian:12-slim, or from mmdebstrap's
# customize hook (chroot) when none does. Both ways end with the same user, folders and checks.
set -eu

# The runtime user: 65532 ("nonroot", as in distroless), the uid/gid the pods' securityContext
# sets; numeric in the images' USER so runAsNonRoot can verify it.
groupadd --gid 65532 nonroot
useradd --uid 65532 --gid 65532 --home-dir /nonexistent --no-create-home \
  --shell /usr/sbin/nologin nonroot

# The worker's working folder, for runs without the operator's scratch volume over it.
mkdir -p /work
chown 65532:65532 /work

# Package lists and caches are of no use at run time.
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb

# Fail the build, not the first pod, when a program the images run cannot start.
java -version 2>&1 | head -n 1
if [ -n "${WITH_FFMPEG:-}" ]; then
  ffmpeg -hide_banner -version | head -n 1
  ffprobe -hide_banner -version >/dev/null
fi
