#!/bin/sh
# Runs a command inside a private D-Bus session with a fresh, unlocked GNOME keyring, so the
# secret-store tests talk to a real Secret Service (Debian: dbus, gnome-keyring).
# Without those programs the command runs as it is and the keychain test says it is skipped.
set -eu
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  exec "$@"
fi
HOME=$(mktemp -d)
export HOME
exec dbus-run-session -- sh -c 'printf test | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null && exec "$@"' sh "$@"
