# Sourced by build-cpu.sh and build-cuda.sh: what both library builds do the same way.

# The absolute output directory ($1, default native/target), created if missing.
output_dir() {
    local out="${1:-$here/target}"
    mkdir -p "$out"
    (cd "$out" && pwd)
}

# True when library $1 exists and is newer than every other argument (sources, headers, the build script).
up_to_date() {
    local lib="$1" f
    shift
    [[ -f "$lib" ]] || return 1
    for f in "$@"; do [[ "$f" -nt "$lib" ]] && return 1; done
    return 0
}
