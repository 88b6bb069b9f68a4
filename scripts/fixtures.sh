#!/usr/bin/env bash
# Builds the offline fixture images that devstack's engine tests use. No image
# can be pulled on the project's machines, so every image is made locally from
# Debian packages and `docker import`.
#
#   scripts/fixtures.sh [--force] [IMAGE...]
#
# IMAGE is any of: busybox busybox-bash loadgen mariadb (default: all).
# Each image is cached by its tag: it is skipped when `docker image inspect TAG`
# succeeds and shows the label below, unless --force is given. Every image carries the label
# devstack.fixture=true.
#
#   local/busybox        busybox-static applets, /tmp, passwd/group (root, nobody, app uid 1000)
#   local/busybox-bash   the same plus a static bash at /bin/bash
#   local/loadgen        the busybox root plus /loadgen (testdata/images/loadgen), CMD ["/loadgen"]
#   local/mariadb:test   Debian bookworm (debootstrap minbase) with mariadb-server and an entrypoint
#                        that initialises an empty /var/lib/mysql (MARIADB_ROOT_PASSWORD,
#                        MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD, /docker-entrypoint-initdb.d)
#
# It also writes examples/appdb/.env (kept out of git), which points the example's
# image variables at these stand-ins; without that file the example pulls the public
# images (mariadb:11.4, busybox:1.37) like any compose project.
#
# Needs root for apt-get and debootstrap (installs busybox-static, bash-static and
# debootstrap when missing). The Debian mirror is read from the machine's apt
# sources (or DEBIAN_MIRROR). Debootstrap's downloads are kept in
# ${FIXTURES_CACHE:-/var/cache/devstack-fixtures} so a --force rebuild is faster.
set -euo pipefail

FORCE=0
WANT=()
for arg in "$@"; do
  case "$arg" in
    --force|-f) FORCE=1 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    busybox|busybox-bash|loadgen|mariadb) WANT+=("$arg") ;;
    *) echo "fixtures: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
[ ${#WANT[@]} -gt 0 ] || WANT=(busybox busybox-bash loadgen mariadb)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${FIXTURES_CACHE:-/var/cache/devstack-fixtures}"
LABEL='LABEL devstack.fixture=true'
IMG_PATH='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

log() { echo "fixtures: $*" >&2; }
die() { echo "fixtures: error: $*" >&2; exit 1; }

command -v docker >/dev/null || die "docker client not found"

# One build at a time on this machine (tests may call this script in parallel).
if command -v flock >/dev/null; then
  exec 9>"${TMPDIR:-/tmp}/devstack-fixtures.lock"
  flock 9
fi

WORK=""
cleanup() {
  local rc=$?
  set +e
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    # debootstrap mounts proc/sys inside its target; never rm -rf through a mount.
    if command -v findmnt >/dev/null; then
      findmnt -rn -o TARGET | grep -F "$WORK/" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    fi
    if ! grep -qF "$WORK/" /proc/mounts 2>/dev/null; then
      rm -rf "$WORK"
    else
      log "left $WORK in place: something is still mounted under it"
    fi
  fi
  exit $rc
}
trap cleanup EXIT
WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/devstack-fixtures.XXXXXX")"

APT_UPDATED=0
apt_install() { # apt_install PKG... (quiet, only called when something is missing)
  [ "$(id -u)" = 0 ] || die "need root to install: $* (or install them yourself)"
  if [ "$APT_UPDATED" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

is_static() { # true when $1 is a statically linked executable
  [ -x "$1" ] || return 1
  # ldd exits non-zero with "not a dynamic executable" for static binaries.
  ! ldd "$1" >/dev/null 2>&1
}

human() { # bytes -> short human size
  awk -v b="$1" 'BEGIN { split("B KB MB GB", u); i = 1; while (b >= 1000 && i < 4) { b /= 1000; i++ } printf (i == 1 ? "%d %s" : "%.1f %s"), b, u[i] }'
}

# An image counts as built by this script only when it carries the fixture label
# (a same-named image made by hand is rebuilt).
have_image() {
  [ "$(docker image inspect -f '{{index .Config.Labels "devstack.fixture"}}' "$1" 2>/dev/null)" = true ]
}

report() { # report TAG built|cached SECONDS
  local size
  size="$(docker image inspect -f '{{.Size}}' "$1" 2>/dev/null || echo 0)"
  printf '%-26s %-6s %6ss  %s\n' "$1" "$2" "$3" "$(human "$size")"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# build TAG FUNCTION: run FUNCTION unless TAG exists (or --force), then report.
build() {
  local tag="$1" fn="$2" t0
  t0="$(now)"
  if [ "$FORCE" = 0 ] && have_image "$tag"; then
    report "$tag" cached "$(elapsed "$t0")"
    return
  fi
  local old new
  old="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
  "$fn"
  have_image "$tag" || die "$tag was not created"
  new="$(docker image inspect -f '{{.Id}}' "$tag")"
  # A forced rebuild leaves the previous fixture image untagged: remove it when
  # it is ours (labelled) and nothing uses it.
  if [ -n "$old" ] && [ "$old" != "$new" ] &&
     [ "$(docker image inspect -f '{{index .Config.Labels "devstack.fixture"}} {{len .RepoTags}}' "$old" 2>/dev/null)" = "true 0" ]; then
    docker image rm "$old" >/dev/null 2>&1 || true
  fi
  report "$tag" built "$(elapsed "$t0")"
}

ensure_busybox() {
  if ! is_static /bin/busybox; then
    apt_install busybox-static
    is_static /bin/busybox || die "/bin/busybox is not a static binary after installing busybox-static"
  fi
}

# make_busybox_root DIR: a minimal root with busybox, its applets, /tmp and users.
make_busybox_root() {
  local root="$1" applet full
  ensure_busybox
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,root,tmp,var/tmp,home/app,proc,sys,dev,run}
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] && continue
    [ -e "$root/bin/$applet" ] || ln -s /bin/busybox "$root/bin/$applet"
  done
  # Also the usual locations (/usr/bin/env for "#!/usr/bin/env sh", /sbin/...).
  for full in $(/bin/busybox --list-full 2>/dev/null || true); do
    case "$full" in bin/*) continue ;; esac
    mkdir -p "$root/$(dirname "$full")"
    [ -e "$root/$full" ] || [ -L "$root/$full" ] || ln -s /bin/busybox "$root/$full"
  done
  chmod 1777 "$root/tmp" "$root/var/tmp"
  chmod 700 "$root/root"
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
app:x:1000:1000:app:/home/app:/bin/sh
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
nobody:x:65534:
app:x:1000:
EOF
  chown 1000:1000 "$root/home/app"
  echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
}

import_root() { # import_root DIR TAG [docker import -c CHANGE]...
  local root="$1" tag="$2"
  shift 2
  local args=(-c "$LABEL" -c "$IMG_PATH")
  local c
  for c in "$@"; do args+=(-c "$c"); done
  tar --numeric-owner -C "$root" -c . | docker import "${args[@]}" - "$tag" >/dev/null
}

build_busybox() {
  local root="$WORK/busybox"
  make_busybox_root "$root"
  import_root "$root" local/busybox:latest 'CMD ["sh"]'
}

build_busybox_bash() {
  local root="$WORK/busybox-bash"
  make_busybox_root "$root"
  if ! is_static /bin/bash-static; then
    apt_install bash-static
  fi
  is_static /bin/bash-static || die "/bin/bash-static is missing or not static (package bash-static)"
  cp /bin/bash-static "$root/bin/bash"
  import_root "$root" local/busybox-bash:latest 'CMD ["sh"]'
}

build_loadgen() {
  local root="$WORK/loadgen" src="$REPO_ROOT/testdata/images/loadgen"
  command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || die "go not found (needed to build testdata/images/loadgen)"
  make_busybox_root "$root"
  # Its own module, standard library only: independent of the project's go.mod.
  (cd "$src" && GOWORK=off GOFLAGS='' CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$root/loadgen" .)
  import_root "$root" local/loadgen:latest 'CMD ["/loadgen"]'
}

debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local f uri=""
  # deb822 sources: the URIs of the first stanza whose Suites has "bookworm".
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri="$(awk '
      function flush() { if (suite && uris != "" && found == "") found = uris; suite = 0; uris = "" }
      /^[[:space:]]*$/ { flush(); next }
      /^URIs:/   { uris = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") suite = 1 }
      END { flush(); print found }' "$f")"
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { if ($(i+1) == "bookworm") { print $i; exit } else break } }' /etc/apt/sources.list)"
  fi
  [ -n "$uri" ] || die "no Debian bookworm mirror found in the apt sources; set DEBIAN_MIRROR"
  echo "$uri"
}

build_mariadb() {
  local root="$WORK/mariadb" mirror t0
  command -v debootstrap >/dev/null || apt_install debootstrap
  [ "$(id -u)" = 0 ] || die "debootstrap needs root"
  mirror="$(debian_mirror)"
  mkdir -p "$CACHE_DIR/debootstrap"
  log "debootstrap bookworm with mariadb-server (about 2 minutes the first time)"
  t0="$(now)"
  if ! debootstrap --variant=minbase --include=mariadb-server --cache-dir="$CACHE_DIR/debootstrap" \
      bookworm "$root" "$mirror" >"$WORK/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK/debootstrap.log" >&2
    [ -f "$root/debootstrap/debootstrap.log" ] && tail -n 30 "$root/debootstrap/debootstrap.log" >&2
    die "debootstrap failed"
  fi
  log "debootstrap done in $(elapsed "$t0")s"
  # Slim it down; an empty data dir lets the entrypoint initialise a fresh volume
  # (Docker copies the image's /var/lib/mysql into an empty named volume).
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/usr/share/doc "$root"/usr/share/man \
    "$root"/usr/share/info "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/debootstrap
  rm -rf "$root"/var/lib/mysql
  mkdir -p "$root"/var/lib/mysql "$root"/run/mysqld "$root"/docker-entrypoint-initdb.d
  chroot "$root" chown mysql:mysql /var/lib/mysql /run/mysqld
  install -m 0755 /dev/stdin "$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/bash
# Entrypoint of the local/mariadb:test fixture image (written by scripts/fixtures.sh).
# Initialises an empty /var/lib/mysql the way the official image does, for the
# variables MARIADB_ROOT_PASSWORD, MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD
# (MYSQL_* names are accepted too) and the *.sql / *.sh files in
# /docker-entrypoint-initdb.d, then execs the command.
set -euo pipefail

log() { echo "entrypoint: $*" >&2; }

# "docker run image --some-flag" means mariadbd --some-flag.
if [ "${1:0:1}" = '-' ]; then set -- mariadbd "$@"; fi

case "$1" in
  mariadbd|mysqld|/usr/sbin/mariadbd|/usr/sbin/mysqld) ;;
  *) exec "$@" ;;
esac

DATADIR=/var/lib/mysql
# The temporary server listens on its own socket, so that clients (and
# healthchecks) using the default socket only reach the real server.
SOCKET=/run/mysqld/mysqld-init.sock
mkdir -p /run/mysqld "$DATADIR"
chown mysql:mysql /run/mysqld "$DATADIR"
chmod 0755 /run/mysqld

: "${MARIADB_ROOT_PASSWORD:=${MYSQL_ROOT_PASSWORD:-}}"
: "${MARIADB_DATABASE:=${MYSQL_DATABASE:-}}"
: "${MARIADB_USER:=${MYSQL_USER:-}}"
: "${MARIADB_PASSWORD:=${MYSQL_PASSWORD:-}}"

sql_str() { # a quoted SQL string literal
  local s=${1//\\/\\\\}
  s=${s//\'/\\\'}
  printf "'%s'" "$s"
}
sql_ident() { # a quoted SQL identifier
  printf '`%s`' "${1//\`/\`\`}"
}

if [ ! -d "$DATADIR/mysql" ]; then
  log "initialising $DATADIR"
  mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db \
    --auth-root-authentication-method=socket >/dev/null
  log "starting a temporary server (no networking)"
  mariadbd --user=mysql --datadir="$DATADIR" --skip-networking --socket="$SOCKET" \
    --skip-log-bin &
  pid=$!
  for _ in $(seq 1 60); do
    if mariadb-admin --protocol=socket --socket="$SOCKET" -uroot ping >/dev/null 2>&1; then break; fi
    kill -0 "$pid" 2>/dev/null || { log "temporary server died"; exit 1; }
    sleep 0.5
  done
  mariadb-admin --protocol=socket --socket="$SOCKET" -uroot ping >/dev/null 2>&1 || { log "temporary server did not answer"; exit 1; }

  # Until the last step root@localhost authenticates by socket (we are root).
  client=(mariadb --protocol=socket --socket="$SOCKET" -uroot)
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    if [ -n "$MARIADB_DATABASE" ]; then
      echo "CREATE DATABASE IF NOT EXISTS $(sql_ident "$MARIADB_DATABASE");"
    fi
    if [ -n "$MARIADB_USER" ]; then
      echo "CREATE USER $(sql_str "$MARIADB_USER")@'%' IDENTIFIED BY $(sql_str "$MARIADB_PASSWORD");"
      if [ -n "$MARIADB_DATABASE" ]; then
        echo "GRANT ALL ON $(sql_ident "$MARIADB_DATABASE").* TO $(sql_str "$MARIADB_USER")@'%';"
      fi
    fi
  } | "${client[@]}"

  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sql) log "running $f"; "${client[@]}" ${MARIADB_DATABASE:+"$MARIADB_DATABASE"} <"$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | "${client[@]}" ${MARIADB_DATABASE:+"$MARIADB_DATABASE"} ;;
      *.sh) log "running $f"; . "$f" ;;
      *) log "ignoring $f" ;;
    esac
  done

  # Root last: a password (empty when MARIADB_ROOT_PASSWORD is unset) for
  # root@localhost and root@'%'.
  if [ -z "$MARIADB_ROOT_PASSWORD" ]; then
    log "MARIADB_ROOT_PASSWORD is empty: root has no password"
  fi
  pw="$(sql_str "$MARIADB_ROOT_PASSWORD")"
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "CREATE USER IF NOT EXISTS root@'%' IDENTIFIED BY $pw;"
    echo "GRANT ALL ON *.* TO root@'%' WITH GRANT OPTION;"
    echo "ALTER USER root@localhost IDENTIFIED BY $pw;"
  } | "${client[@]}"

  kill -TERM "$pid"
  wait "$pid" || true
  log "initialised"
fi

exec "$@"
ENTRYPOINT
  import_root "$root" local/mariadb:test \
    'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    'CMD ["mariadbd","--user=mysql","--bind-address=0.0.0.0"]' \
    'EXPOSE 3306'
}

for img in "${WANT[@]}"; do
  case "$img" in
    busybox) build local/busybox:latest build_busybox ;;
    busybox-bash) build local/busybox-bash:latest build_busybox_bash ;;
    loadgen) build local/loadgen:latest build_loadgen ;;
    mariadb) build local/mariadb:test build_mariadb ;;
  esac
done

# The example names public images through variables with public defaults;
# point them at the local stand-ins on this machine (compose reads .env).
cat > "$REPO_ROOT/examples/appdb/.env" <<'DOTENV'
# Written by scripts/fixtures.sh: local stand-ins for the public images, for
# machines without a registry. Delete this file to pull the public images.
DB_IMAGE=local/mariadb:test
APP_BASE_IMAGE=local/busybox
DOTENV
log "wrote examples/appdb/.env (local stand-in images for the example)"
