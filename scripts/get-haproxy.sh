#!/usr/bin/env bash
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# get-haproxy.sh: unpack Debian's haproxy (and the libraries it needs that the machine lacks)
# into .run/haproxy/root, for bench/bench_load.py --proxy. Nothing is installed on the system
# and no service starts: the benchmark runs the binary itself with its own configuration.
# A deployment installs its proxy as it installs any service (docs/background-jobs.md).
source "$(dirname "$0")/common.sh"
target="$RUN/haproxy"
launcher="$target/haproxy"  # what bench_load.py runs: the unpacked binary with its libraries
if [ -x "$launcher" ]; then
    echo "$launcher"
    exit 0
fi
command -v apt-get >/dev/null || die "apt-get is needed to download haproxy"
mkdir -p "$target/debs" "$target/root"
packages=(haproxy)
for lib in liblua5.3-0 libopentracing-c-wrapper0 libopentracing1; do
    dpkg -s "$lib" >/dev/null 2>&1 || packages+=("$lib")
done
(cd "$target/debs" && apt-get download "${packages[@]}" >/dev/null)
for deb in "$target"/debs/*.deb; do
    dpkg -x "$deb" "$target/root"
done
# Where the packages put the binary and the libraries, as unpacked (no path assumed).
binary="$(find "$target/root" -type f -path '*bin/haproxy' -perm -u+x | head -n 1)"
[ -n "$binary" ] || die "no haproxy binary in the unpacked packages ($target/root)"
libs="$(find "$target/root" -name '*.so*' -printf '%h\n' | sort -u | paste -sd: -)"
cat > "$launcher" <<EOF
#!/usr/bin/env bash
LD_LIBRARY_PATH="$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$binary" "\$@"
EOF
chmod +x "$launcher"
"$launcher" -v >/dev/null || die "haproxy was unpacked into $target but does not start"
echo "$launcher"
