#!/usr/bin/env bash
# Builds a PostgreSQL 15 image from Debian's packages (no registry) for ImageIT's compose test:
# the stand-in for compose.yaml's default postgres:16, with the same environment interface
# (entrypoint.sh). Reused while this folder is unchanged, as container/build-base.sh does.
#
#   build.sh OUTPUT.tar TAG
set -euo pipefail
out="${1:?usage: $0 OUTPUT.tar TAG}"
tag="${2:?usage: $0 OUTPUT.tar TAG}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
recipe="$(cat "$here/build.sh" "$here/entrypoint.sh" | sha256sum | cut -c1-16)"
if [ -f "$out" ] && [ "$(cat "$out.recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "postgres-image: reusing $out"
  exit 0
fi
mkdir -p "$(dirname "$out")"
work="$(mktemp -d "${TMPDIR:-/tmp}/mnistlab-pg-image.XXXXXX")"
storage=(--root "$work/storage" --runroot "$work/run" --storage-driver vfs)
trap 'podman "${storage[@]}" rmi -a -f >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mirror="http://deb.debian.org/debian"
mmdebstrap --quiet --variant=essential --include=postgresql-15,postgresql-client-15 \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libLLVM*' \
  --dpkgopt='path-exclude=/usr/lib/postgresql/15/lib/bitcode/*' \
  --dpkgopt='path-exclude=/usr/lib/postgresql/15/lib/llvmjit*' \
  --essential-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d"' \
  --essential-hook='echo "create_main_cluster = false" > "$1/etc/postgresql-common/createcluster.d/no-main.conf"' \
  --customize-hook="cp '$here/entrypoint.sh' \"\$1/usr/local/bin/postgres-entrypoint\"" \
  --customize-hook='chmod 755 "$1/usr/local/bin/postgres-entrypoint"' \
  --customize-hook='mkdir -p "$1/var/lib/postgresql/data" && chroot "$1" chown -R postgres:postgres /var/lib/postgresql && chmod 700 "$1/var/lib/postgresql/data"' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
  bookworm "$work/rootfs.tar" "deb $mirror bookworm main"
podman "${storage[@]}" import --quiet \
  --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' --change 'ENV PGDATA=/var/lib/postgresql/data' \
  --change 'USER postgres' --change 'EXPOSE 5432' \
  --change 'VOLUME /var/lib/postgresql/data' \
  --change 'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]' \
  "$work/rootfs.tar" "$tag" >/dev/null
rm -f "$work/rootfs.tar"
podman "${storage[@]}" save --quiet --format docker-archive -o "$work/image.tar" "$tag"
mv -f "$work/image.tar" "$out"
echo "$recipe" > "$out.recipe"
echo "postgres-image: wrote $out ($(du -h "$out" | cut -f1))"
