#!/usr/bin/env bash
# Builds mnistlab's container base image without any container registry: Debian 12 (bookworm) with
# a Java 17 runtime and the native libraries ND4J's onednn backend loads (libgomp1, libstdc++6),
# made by mmdebstrap from Debian's package mirror, imported into podman (or docker) and saved as a
# docker-archive tarball, the format Jib reads as a base (`tar://...`; an OCI archive does not work).
#
#   container/build-base.sh OUTPUT.tar
#
# Reused when present: if OUTPUT.tar exists and was made by this version of the script (its hash
# is recorded in OUTPUT.tar.recipe), nothing is rebuilt. `./mvnw -Pimage package` runs this script.
#
# Needs: mmdebstrap, and podman or docker (Debian: apt-get install mmdebstrap podman). As root it
# works as is; as another user mmdebstrap and rootless podman need subordinate ids (/etc/subuid).
#
# Besides the packages, the base holds the image's fixed layout (the Jib layers add the program):
#   user mnistlab (uid/gid 1000, home /home/mnistlab)
#   /mnistlab            working directory; Jib adds experiments/ here
#   /mnistlab/runs    -> /runs   so the CLI's default store runs/mnistlab.db is /runs/mnistlab.db
#   /mnistlab/results -> /runs   so the default output results/<sweep> is /runs/<sweep>
#   /runs /cache         writable by any uid (mode 1777), volumes; /data for read-only IDX files
set -euo pipefail

out="${1:?usage: $0 OUTPUT.tar}"
recipe="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"

if [ -f "$out" ] && [ "$(cat "$out.recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "build-base: reusing $out (recipe $recipe)"
  exit 0
fi

engine=""
for candidate in podman docker; do
  if command -v "$candidate" >/dev/null 2>&1; then engine="$candidate"; break; fi
done
missing=""
command -v mmdebstrap >/dev/null 2>&1 || missing="mmdebstrap"
[ -n "$engine" ] || missing="${missing:+$missing }podman"
if [ -n "$missing" ]; then
  echo "build-base: cannot build the base image $out with ${BASH_SOURCE[0]}: missing $missing" >&2
  echo "build-base: install it (Debian/Ubuntu: apt-get install -y mmdebstrap podman), or pass a" \
    "docker-archive base with Java 17 as -Dimage.base.tar=FILE" >&2
  exit 1
fi

mkdir -p "$(dirname "$out")"
work="$(mktemp -d "${TMPDIR:-/tmp}/mnistlab-base.XXXXXX")"
storage=()
cleanup() {
  if [ "$engine" = podman ]; then
    podman "${storage[@]}" rmi -a -f >/dev/null 2>&1 || true
  fi
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

echo "build-base: mmdebstrap bookworm (openjdk-17-jre-headless, libgomp1, libstdc++6) ..."
mirror="http://deb.debian.org/debian"
mmdebstrap --quiet --variant=essential \
  --include=openjdk-17-jre-headless,libstdc++6,libgomp1,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='echo "mnistlab:x:1000:1000:mnistlab:/home/mnistlab:/bin/sh" >> "$1/etc/passwd"' \
  --customize-hook='echo "mnistlab:x:1000:" >> "$1/etc/group"' \
  --customize-hook='echo "mnistlab:*:19000:0:99999:7:::" >> "$1/etc/shadow"' \
  --customize-hook='mkdir -p "$1/home/mnistlab" "$1/mnistlab" "$1/data" "$1/runs" "$1/cache"' \
  --customize-hook='chown 1000:1000 "$1/home/mnistlab" "$1/runs" "$1/cache"' \
  --customize-hook='chmod 1777 "$1/runs" "$1/cache"' \
  --customize-hook='ln -s /runs "$1/mnistlab/runs"; ln -s /runs "$1/mnistlab/results"' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*.log' \
  bookworm "$work/rootfs.tar" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
  "deb http://deb.debian.org/debian-security bookworm-security main"

tag="localhost/mnistlab-base:$recipe"
if [ "$engine" = podman ]; then
  # a private, throwaway image store: nothing is left in the user's podman storage
  storage=(--root "$work/storage" --runroot "$work/run" --storage-driver vfs)
fi
echo "build-base: $engine import + save (docker-archive) ..."
"$engine" "${storage[@]}" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  "$work/rootfs.tar" "$tag" >/dev/null
rm -f "$work/rootfs.tar"
if [ "$engine" = podman ]; then
  podman "${storage[@]}" save --quiet --format docker-archive -o "$work/base.tar" "$tag"
else
  docker save -o "$work/base.tar" "$tag"
  docker rmi "$tag" >/dev/null
fi
mv -f "$work/base.tar" "$out"
echo "$recipe" > "$out.recipe"
echo "build-base: wrote $out ($(du -h "$out" | cut -f1), recipe $recipe)"
