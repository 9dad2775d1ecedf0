#!/usr/bin/env bash
# Debian packages the project needs: Chromium for the browser tests, CJK fonts so that pages and
# exported documents render Chinese, gettext to compile translations. Installs only what is
# missing; needs root or sudo the first time.
set -euo pipefail
needed=()
[ -x /usr/bin/chromium ] || needed+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || needed+=(fonts-noto-cjk)
command -v msgfmt >/dev/null || needed+=(gettext)
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${needed[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${needed[@]}"
