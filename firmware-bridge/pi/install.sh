#!/usr/bin/env bash
# Installs or upgrades Tongxin on a Raspberry Pi (Raspberry Pi OS Bookworm), from a checkout of the
# repository. Run as root from anywhere:  sudo firmware-bridge/pi/install.sh
# Running it again is an upgrade: it never overwrites the site file, the data or the udev rules
# you edited, and it restarts the service at the end.
#
# Options:
#   --kiosk-user USER   the desktop user whose session shows the kiosk
#                       (default: the auto-login user of the desktop, else the user running sudo)
#   --no-kiosk          install the service only (a Pi without a screen)
#   --registry URL      npm registry to install from (e.g. a mirror near you)
#   --print-site        print the site file a first install writes, and exit (needs no root)
#   -h, --help          this text
#
# What it does, in order: checks Node.js 20+; creates the system user `tongxin` (group dialout);
# creates /var/lib/tongxin (data) and /etc/tongxin (site.yaml, the demo site when there is none);
# copies the checkout to /opt/tongxin and runs `npm ci` there, which builds; installs the udev rules,
# the serial modules list and the systemd units; enables and (re)starts the service and the kiosk.
set -euo pipefail

PREFIX=/opt/tongxin
DATA_DIR=/var/lib/tongxin
ETC_DIR=/etc/tongxin
SITE_FILE=$ETC_DIR/site.yaml
SERVICE_USER=tongxin
RULES=/etc/udev/rules.d/99-tongxin-serial.rules
MODULES_CONF=/etc/modules-load.d/tongxin-serial.conf
UNIT=/etc/systemd/system/tongxin.service
USER_UNIT=/etc/systemd/user/tongxin-kiosk.service

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)

say() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}
usage() {
  # The comment block at the top of this file is the help text.
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "${BASH_SOURCE[0]}"
}

# The demo site, made fit for a Pi: data in /var/lib/tongxin (the service may write nowhere else),
# and the clock distrusted until NTP has synced, because a Pi has no real-time clock.
print_site() {
  local demo=$src/src/config/sites/demo.yaml
  [[ -f $demo ]] || die "$demo is missing: run this from a complete checkout"
  grep -q '^dataDir: ./data$' "$demo" || die "$demo no longer has 'dataDir: ./data'; update print_site in install.sh"
  grep -q '^  trustAtStart: true$' "$demo" || die "$demo no longer has 'trustAtStart: true'; update print_site in install.sh"
  sed -e "s|^dataDir: ./data\$|dataDir: $DATA_DIR|" \
    -e 's|^  trustAtStart: true$|  trustAtStart: false|' \
    -e "1i # Written by firmware-bridge/pi/install.sh from the demo site: describe your own site here\\
# (README: Running a real site), check it with\\
#   sudo -u $SERVICE_USER node $PREFIX/dist/src/cli.js config check $SITE_FILE\\
# and restart: sudo systemctl restart tongxin" \
    "$demo"
}

kiosk=true
kiosk_user=
registry=
while (($#)); do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --print-site)
      print_site
      exit 0
      ;;
    --no-kiosk) kiosk=false ;;
    --kiosk-user)
      [[ $# -ge 2 && -n $2 ]] || die "--kiosk-user needs a user name"
      kiosk_user=$2
      shift
      ;;
    --registry)
      [[ $# -ge 2 && -n $2 ]] || die "--registry needs a URL"
      registry=$2
      shift
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
  shift
done

((EUID == 0)) || die "run as root: sudo $0 $*"
[[ -f $src/package.json && -f $src/src/cli.ts ]] || die "$src does not look like a Tongxin checkout"

# --- prerequisites --------------------------------------------------------------------------------
# The unit runs /usr/bin/node: NodeSource's packages put it there; the official tarball does not.
[[ -x /usr/bin/node ]] || die "/usr/bin/node is missing. Install Node.js 20 (README: Installing on a Raspberry Pi); with the official tarball in /usr/local: sudo ln -s /usr/local/bin/node /usr/bin/node"
/usr/bin/node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  die "Node.js $(/usr/bin/node --version) is too old: Tongxin needs 20 or newer (Debian's own nodejs is 18)"
command -v npm >/dev/null || die "npm is missing (it comes with Node.js)"
command -v rsync >/dev/null || die "rsync is missing: sudo apt-get install rsync"
command -v systemctl >/dev/null || die "systemd is required"

# --- user and folders -------------------------------------------------------------------------------
if ! getent passwd "$SERVICE_USER" >/dev/null; then
  say "creating system user $SERVICE_USER"
  useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi
usermod -a -G dialout "$SERVICE_USER"

# install -d leaves what is inside alone: the data survives every run.
install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0750 "$DATA_DIR"
# The site file holds password hashes: readable by the service, writable by root only.
install -d -o root -g "$SERVICE_USER" -m 0750 "$ETC_DIR"
if [[ -e $SITE_FILE ]]; then
  say "keeping your $SITE_FILE"
else
  say "writing $SITE_FILE from the demo site (simulated sensors until you describe yours)"
  tmp=$(mktemp "$ETC_DIR/.site.XXXXXX")
  print_site >"$tmp"
  chown root:"$SERVICE_USER" "$tmp"
  chmod 0640 "$tmp"
  mv "$tmp" "$SITE_FILE"
fi

# --- code and build ---------------------------------------------------------------------------------
# Owned by root and read-only to the service: a compromised service cannot change its own code.
if [[ $src != "$PREFIX" ]]; then
  say "copying $src to $PREFIX"
  install -d -m 0755 "$PREFIX"
  # Excluded paths are also protected from --delete: node_modules is replaced by npm ci anyway,
  # and a data folder someone made here by hand is left alone.
  rsync -a --delete --chown=root:root --chmod=go-w \
    --exclude=/.git --exclude=/node_modules --exclude=/dist --exclude=/kiosk-ui/dist \
    --exclude=/data --exclude=/test-artifacts \
    "$src/" "$PREFIX/"
fi
say "installing dependencies and building in $PREFIX (npm ci; several minutes on a Pi)"
# --include=dev: the build needs TypeScript and Vite even where the shell has NODE_ENV=production.
npm_args=(ci --include=dev --no-audit --no-fund)
if [[ -n $registry ]]; then
  npm_args+=(--registry "$registry")
fi
# npm ci also builds: the package's prepare script runs `npm run build`.
(cd "$PREFIX" && npm "${npm_args[@]}")
if [[ ! -f $PREFIX/dist/src/cli.js ]]; then
  (cd "$PREFIX" && npm run build)
fi
[[ -f $PREFIX/dist/src/cli.js ]] || die "the build did not produce $PREFIX/dist/src/cli.js"

# --- serial devices ---------------------------------------------------------------------------------
if [[ -e $RULES ]]; then
  if ! cmp -s "$here/99-tongxin-serial.rules" "$RULES"; then
    say "keeping your $RULES (compare with the shipped examples: diff $RULES $PREFIX/firmware-bridge/pi/99-tongxin-serial.rules)"
  fi
else
  say "installing $RULES: edit it to name your adapters (see the comments in it)"
  install -m 0644 "$here/99-tongxin-serial.rules" "$RULES"
fi
# The unit allows the ttyUSB and ttyACM device classes, which exist only once their drivers are
# loaded: load them at every boot, before the service starts, not only when an adapter is plugged in.
printf '# Written by Tongxin install.sh: tongxin.service allows these tty classes (DeviceAllow).\nusbserial\ncdc_acm\n' >"$MODULES_CONF"
modprobe -a usbserial cdc_acm || warn "could not load usbserial and cdc_acm now; they load at the next boot"
if command -v udevadm >/dev/null; then
  udevadm control --reload
  udevadm trigger --subsystem-match=tty --action=add
fi

# --- the service ------------------------------------------------------------------------------------
say "installing $UNIT"
install -m 0644 "$here/tongxin.service" "$UNIT"
systemctl daemon-reload
systemctl enable tongxin.service
systemctl restart tongxin.service
systemctl is-enabled --quiet systemd-timesyncd.service 2>/dev/null ||
  warn "systemd-timesyncd is not enabled: without NTP the waste schedule waits for a trusted clock"

# --- the kiosk --------------------------------------------------------------------------------------
if $kiosk; then
  if [[ -z $kiosk_user ]]; then
    kiosk_user=$(sed -n 's/^[[:space:]]*autologin-user[[:space:]]*=[[:space:]]*//p' /etc/lightdm/lightdm.conf 2>/dev/null | tail -n 1)
  fi
  kiosk_user=${kiosk_user:-${SUDO_USER:-}}
  [[ -n $kiosk_user && $kiosk_user != root ]] ||
    die "which desktop user shows the kiosk? run again with --kiosk-user USER (or --no-kiosk)"
  home=$(getent passwd "$kiosk_user" | cut -d: -f6)
  [[ -n $home && -d $home ]] || die "user $kiosk_user has no home folder"
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
    warn "Chromium is not installed: sudo apt-get install chromium (the kiosk waits for it)"

  say "installing $USER_UNIT and enabling it for $kiosk_user"
  install -m 0644 "$here/tongxin-kiosk.service" "$USER_UNIT"
  # What `systemctl --user enable` would do, but for one user and without needing that user's
  # session to be running now.
  # As that user, so that folders it already has keep their owner and mode.
  wants=$home/.config/systemd/user/default.target.wants
  runuser -u "$kiosk_user" -- mkdir -p "$wants"
  runuser -u "$kiosk_user" -- ln -sfn "$USER_UNIT" "$wants/tongxin-kiosk.service"

  # The page has its own night mode; the panel must never blank (X11 and Wayland alike).
  if command -v raspi-config >/dev/null; then
    raspi-config nonint do_blanking 1 || warn "raspi-config could not switch screen blanking off"
  fi
  # Pick up the new unit in a session that is running now; otherwise it starts at the next login.
  if systemctl --user --machine="$kiosk_user@" daemon-reload 2>/dev/null; then
    systemctl --user --machine="$kiosk_user@" restart tongxin-kiosk.service ||
      warn "could not start the kiosk now; it starts at the next login of $kiosk_user"
  else
    say "the kiosk starts at the next login of $kiosk_user (reboot, or log in on the screen)"
  fi
fi

say "done. Logs: journalctl -u tongxin -f   Site: $SITE_FILE   Data: $DATA_DIR"
systemctl --no-pager --lines=0 status tongxin.service || true
