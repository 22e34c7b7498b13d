#!/bin/bash
# Install every Debian package the build, tests and demo need.
# Idempotent: apt runs only when something is missing.
set -euo pipefail

PKGS=(
	make gcc clang llvm pkg-config
	libbpf-dev bpftool libelf-dev zlib1g-dev libmnl-dev
	libcriterion-dev
	iproute2 iputils-ping ethtool jq
)
# Extra packages a later part needs can be listed in tools/deps.d/*.list
# (one package per line); they are installed the same way.
shopt -s nullglob
for f in "$(dirname "$0")"/deps.d/*.list; do
	while read -r p; do
		[[ -z "$p" || "$p" == \#* ]] || PKGS+=("$p")
	done <"$f"
done

if [[ $(id -u) -ne 0 ]]; then
	echo "deps: must run as root to install packages" >&2
	exit 1
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
	echo "deps: all ${#PKGS[@]} packages present"
	exit 0
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
