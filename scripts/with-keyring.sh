#!/bin/sh
# Runs a command inside a private D-Bus session with a fresh, unlocked GNOME keyring, so the
# secret-store tests talk to a real Secret Service (Debian: dbus, gnome-keyring). The keyring
# lives in a temporary HOME that is removed when the command ends, however it ends.
# Without those programs the command runs as it is, and the keychain test fails saying so.
set -eu
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  exec "$@"
fi
keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/lm-keyring-XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
HOME=$keyring_home dbus-run-session -- sh -c 'printf test | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null && exec "$@"' sh "$@"
