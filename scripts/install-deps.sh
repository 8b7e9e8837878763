#!/usr/bin/env bash
# Install priorreg's build/test dependencies from Debian's packages.
#
# Usage: scripts/install-deps.sh        (run it)
#        source scripts/install-deps.sh (then call priorreg_install_deps)
#
# Only packages that are not installed yet are installed; `apt-get update`
# runs only when something is missing. As root it uses apt-get directly,
# otherwise sudo (if available). Set PRIORREG_SKIP_DEPS=1 to skip entirely.

PRIORREG_DEB_PACKAGES=(
    cmake
    g++
    ninja-build
    libeigen3-dev
    catch2
    libbenchmark-dev
    gnuplot-nox
    libcli11-dev
    libfast-float-dev
    nlohmann-json3-dev
    clang-14
    libclang-rt-14-dev
    doxygen
    # the optional MPI component (priorreg::mpi, priorreg-fit-mpi) and its tests; Open MPI's
    # launcher looks for ssh even on one machine
    libopenmpi-dev
    openmpi-bin
    openssh-client
)

priorreg_install_deps() {
    if [[ "${PRIORREG_SKIP_DEPS:-0}" == "1" ]]; then
        echo "==> install-deps: PRIORREG_SKIP_DEPS=1, not checking packages"
        return 0
    fi
    if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        echo "==> install-deps: no dpkg/apt-get here (not Debian?); assuming these are installed:" \
            "${PRIORREG_DEB_PACKAGES[*]}" >&2
        return 0
    fi

    local missing=() pkg
    for pkg in "${PRIORREG_DEB_PACKAGES[@]}"; do
        if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
            missing+=("$pkg")
        fi
    done

    if [[ ${#missing[@]} -eq 0 ]]; then
        echo "==> install-deps: all packages present (${PRIORREG_DEB_PACKAGES[*]})"
        return 0
    fi
    echo "==> install-deps: missing packages: ${missing[*]}"

    local -a sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            echo "install-deps: ERROR: not root, sudo not available, and these packages are" \
                "missing: ${missing[*]}" >&2
            echo "install-deps: install them as root with:" \
                "apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
            return 1
        fi
    fi

    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
    echo "==> install-deps: installed ${missing[*]}"
}

# Executed (not sourced): do the work now.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    priorreg_install_deps
fi
