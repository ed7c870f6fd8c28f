#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing (CI and contributors run as root).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v pdffonts >/dev/null 2>&1 || need+=(poppler-utils)
command -v ip >/dev/null 2>&1 || need+=(iproute2)  # the offline-build test brings up loopback
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
