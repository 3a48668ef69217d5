#!/usr/bin/env bash
# The lobby touchscreen's launcher: waits until the Tongxin service answers, then runs Chromium in
# kiosk mode on the kiosk page. The tongxin-kiosk user unit runs it and starts it again whenever
# Chromium exits, so this script ends by exec-ing Chromium rather than supervising it.
#
#   kiosk.sh             wait for a display and the service, then exec Chromium
#   kiosk.sh --dry-run   wait for the service, then print the command line instead of running it
#
# Environment, all optional:
#   TONGXIN_KIOSK_URL           the page to show                      (http://127.0.0.1:8080/)
#   TONGXIN_KIOSK_HEALTH_URL    what must answer 2xx first            (<the URL's origin>/healthz)
#   TONGXIN_KIOSK_WAIT          seconds to wait for it                (120)
#   TONGXIN_KIOSK_POLL          seconds between two tries             (2)
#   TONGXIN_KIOSK_DISPLAY_WAIT  seconds to wait for the desktop       (60)
#   TONGXIN_KIOSK_BROWSER       the browser to run                    (chromium, else chromium-browser)
#   TONGXIN_KIOSK_PROFILE       Chromium's profile folder             ($XDG_RUNTIME_DIR/tongxin-kiosk)
#   TONGXIN_KIOSK_LANG          Chromium's own language               (zh-CN)
#   TONGXIN_KIOSK_EXTRA_FLAGS   more Chromium flags, space-separated  (e.g. --force-device-scale-factor=0.8)
set -euo pipefail

log() { printf 'tongxin-kiosk: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

usage() {
  # The comment block at the top of this file is the help text.
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

dry_run=false
for arg in "$@"; do
  case $arg in
    --dry-run) dry_run=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
done

url=${TONGXIN_KIOSK_URL:-http://127.0.0.1:8080/}
[[ $url =~ ^(https?://[^/?#]+) ]] || die "TONGXIN_KIOSK_URL must be an http:// or https:// URL, not: $url"
health=${TONGXIN_KIOSK_HEALTH_URL:-${BASH_REMATCH[1]}/healthz}
wait_s=${TONGXIN_KIOSK_WAIT:-120}
poll_s=${TONGXIN_KIOSK_POLL:-2}
display_wait_s=${TONGXIN_KIOSK_DISPLAY_WAIT:-60}
lang=${TONGXIN_KIOSK_LANG:-zh-CN}
[[ $wait_s =~ ^[0-9]+$ ]] || die "TONGXIN_KIOSK_WAIT must be whole seconds, not: $wait_s"
[[ $display_wait_s =~ ^[0-9]+$ ]] || die "TONGXIN_KIOSK_DISPLAY_WAIT must be whole seconds, not: $display_wait_s"
[[ $poll_s =~ ^[0-9]+([.][0-9]+)?$ ]] || die "TONGXIN_KIOSK_POLL must be a number of seconds, not: $poll_s"
[[ $lang =~ ^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$ ]] || die "TONGXIN_KIOSK_LANG must look like zh-CN, not: $lang"

# Debian and newer Raspberry Pi OS images call it chromium; older Pi OS images chromium-browser.
browser=${TONGXIN_KIOSK_BROWSER:-}
if [[ -z $browser ]]; then
  browser=$(command -v chromium || command -v chromium-browser || true)
  [[ -n $browser ]] || die "neither chromium nor chromium-browser is installed: sudo apt-get install chromium"
fi

# curl when there is one; otherwise plain HTTP through bash itself, which is all a loopback
# /healthz needs, so the launcher does not depend on an extra package.
healthy() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 3 "$health" 2>/dev/null
  else
    healthy_without_curl
  fi
}

healthy_without_curl() {
  [[ $health =~ ^http://([^/:]+)(:([0-9]+))?(/.*)?$ ]] || return 1
  local host=${BASH_REMATCH[1]} port=${BASH_REMATCH[3]:-80} path=${BASH_REMATCH[4]:-/}
  # A subshell, so that a refused connection fails this probe and not the script.
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
    IFS= read -r -t 3 status <&3 || exit 1
    [[ $status =~ ^HTTP/[0-9.]+\ 2[0-9][0-9] ]]
  ) 2>/dev/null
}

# Microseconds since the epoch, from bash itself. $SECONDS would do but for its whole-second ticks,
# which can cut a short wait to nothing.
now_us() {
  local t=${EPOCHREALTIME/[.,]/}
  printf '%s' "${t:-$(($(date +%s) * 1000000))}"
}

# Bounded: after a power cut the Pi may take a while, but a screen left on the bare desktop would let
# anyone tap into the file manager. So after the wait the page is shown anyway; Chromium's error page
# reloads itself (--enable-auto-reload) until the service answers.
wait_for_service() {
  local start tries=0
  start=$(now_us)
  log "waiting up to ${wait_s}s for $health to answer"
  until healthy; do
    tries=$((tries + 1))
    if (($(now_us) - start >= wait_s * 1000000)); then
      log "WARNING: $health did not answer within ${wait_s}s (is tongxin.service running? journalctl -u tongxin); showing the page anyway"
      return 0
    fi
    if ((tries % 10 == 0)); then
      log "still waiting for $health ($((($(now_us) - start) / 1000000))s so far)"
    fi
    sleep "$poll_s"
  done
  log "$health answered after $((($(now_us) - start) / 1000000))s"
}

# The user manager starts this unit at login, which can be before the compositor has opened its
# socket, and the session does not export WAYLAND_DISPLAY or DISPLAY to user units on Pi OS: look
# for the sockets themselves. Wayland first (labwc and wayfire, the Bookworm default), then X11.
find_display() {
  local runtime=${XDG_RUNTIME_DIR:-/run/user/$(id -u)} socket
  export XDG_RUNTIME_DIR=$runtime
  if [[ -n ${WAYLAND_DISPLAY:-} ]]; then
    socket=$WAYLAND_DISPLAY
    [[ $socket == /* ]] || socket=$runtime/$socket
    [[ -S $socket ]] && return 0
  fi
  for socket in "$runtime"/wayland-[0-9]*; do
    if [[ -S $socket ]]; then
      export WAYLAND_DISPLAY=${socket##*/}
      return 0
    fi
  done
  [[ -n ${DISPLAY:-} ]] && return 0
  if [[ -S /tmp/.X11-unix/X0 ]]; then
    export DISPLAY=:0
    return 0
  fi
  return 1
}

wait_for_display() {
  local start=$SECONDS
  until find_display; do
    if ((SECONDS - start >= display_wait_s)); then
      die "no graphical session after ${display_wait_s}s (is the desktop set to log in automatically? raspi-config, System Options, Boot / Auto Login); systemd will try again"
    fi
    sleep 1
  done
  if [[ -n ${WAYLAND_DISPLAY:-} ]]; then
    log "display: wayland $WAYLAND_DISPLAY"
  else
    log "display: x11 $DISPLAY"
  fi
}

# The page dims itself at night and wakes on touch, so the panel must never blank. Under X11 that is
# xset; under Wayland the compositor's idle daemon decides, which `raspi-config nonint do_blanking 1`
# (run by install.sh) switches off.
keep_screen_on() {
  if [[ -z ${WAYLAND_DISPLAY:-} ]]; then
    if command -v xset >/dev/null 2>&1; then
      if ! { xset s off && xset s noblank && xset -dpms; }; then
        log "WARNING: xset could not switch the screen blanker off"
      fi
    else
      log "WARNING: xset is not installed, so the screen may blank: sudo apt-get install x11-xserver-utils"
    fi
  elif pgrep -u "$(id -u)" -x swayidle >/dev/null 2>&1; then
    log "WARNING: swayidle is running and will blank the screen: sudo raspi-config nonint do_blanking 1, then reboot"
  fi
}

# A touchscreen needs no pointer. unclutter only works under X11; under Wayland the pointer belongs to
# the compositor. It runs in the background and stops with the unit (same control group).
hide_cursor() {
  if [[ -z ${WAYLAND_DISPLAY:-} ]] && command -v unclutter >/dev/null 2>&1; then
    unclutter -idle 1 -root &
  elif [[ -z ${WAYLAND_DISPLAY:-} ]]; then
    log "unclutter is not installed, so the mouse pointer stays visible: sudo apt-get install unclutter"
  fi
}

profile=${TONGXIN_KIOSK_PROFILE:-${XDG_RUNTIME_DIR:-$HOME/.cache}/tongxin-kiosk}
read -r -a extra_flags <<<"${TONGXIN_KIOSK_EXTRA_FLAGS:-}"

# Checked against Chromium 156's own switches. Left out on purpose: --disable-infobars (honoured only
# by headless Chromium and Chrome for Testing) and --disable-session-crashed-bubble (removed from
# Chromium; --hide-crash-restore-bubble is what remains).
flags=(
  --kiosk                                # full screen, no address bar, no way out by touch
  --noerrdialogs                         # no crash or error dialogs in front of residents
  --hide-crash-restore-bubble            # no "Restore pages?" after a power cut
  --disable-pinch                        # a shaky two-finger touch must not zoom the page
  --overscroll-history-navigation=0      # a swipe must not go "back"
  --check-for-update-interval=31536000   # no "update Chromium" nag: apt updates it
  --disable-features=Translate           # no translate bar over the bilingual page (one --disable-features only: the last one wins)
  --no-first-run                         # no welcome tab
  --no-default-browser-check             # no default-browser bar
  --lang="$lang"                         # Chromium's own strings (error pages), also set through LANGUAGE below
  --disk-cache-dir=/dev/null             # no disk cache: the SD card is spared and nothing lingers
  --incognito                            # nothing a resident typed survives a restart
  --user-data-dir="$profile"             # its own profile, so a desktop Chromium cannot capture the launch
  --password-store=basic                 # never the "unlock keyring" dialog of an auto-login desktop
  --disable-component-update             # no background downloads into a tmpfs profile
  --enable-auto-reload                   # an error page retries by itself until the service is back
)
cmd=("$browser" "${flags[@]}" "${extra_flags[@]}" "$url")

# On Linux, Chromium takes its interface language from LANGUAGE rather than from --lang.
language="${lang/-/_}:${lang%%-*}"

wait_for_service

if $dry_run; then
  printf -v line '%q ' "LANGUAGE=$language" "${cmd[@]}"
  printf '%s\n' "${line% }"
  exit 0
fi

wait_for_display
keep_screen_on
hide_cursor
mkdir -p "$profile"
chmod 0700 "$profile"
log "starting $browser on $url"
export LANGUAGE=$language
exec "${cmd[@]}"
