#!/usr/bin/env bash
# Installs the system programs the test suite uses, from Debian/Ubuntu packages, when missing:
# Chromium (end-to-end tests), D-Bus and GNOME Keyring (the OS keychain the secret store uses).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v dbus-run-session >/dev/null 2>&1 || missing+=(dbus dbus-x11)
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
# Document import tests and benchmarks: qpdf makes a password-protected PDF; pdftotext and the
# native tesseract CLI are the baselines in bench/pdf-ingest and bench/ocr.
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
# Audio import tests and bench/audio-decode make their test media (MP3, M4A, Opus, WebM...) with
# ffmpeg; the app itself never uses it.
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
# Real speech (LibriVox clips) for the voice activity tests.
[ -d /usr/share/pocketsphinx/test/data/librivox ] || missing+=(pocketsphinx-testdata)
# A real speech recogniser (CMU Sphinx, US English model) that checks the read-aloud voices speak
# intelligible words.
command -v pocketsphinx_continuous >/dev/null 2>&1 || missing+=(pocketsphinx)
[ -f /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict ] || missing+=(pocketsphinx-en-us)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install these with your system's package manager, then run the tests again: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing ${missing[*]} (Debian packages) for the test suite..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
