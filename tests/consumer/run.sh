#!/usr/bin/env bash
# Consumer test: packs the library and the ML.NET package, then builds and runs tests/consumer/ConsumerApp, a separate console
# app that takes the package BY VERSION from the packed folder (plus TorchSharp-cpu from nuget.org),
# exactly as a user's app does. On Debian 12 / Ubuntu 22.04 it only runs if the package's
# buildTransitive native fix reached the consumer's build: no step here touches the native library.
# The app is built three times into one folder, with -p:AutoencodersNativeFix=never, =always and the
# default (auto); after each, the copy of libLibTorchSharp.so in the output is compared with TorchSharp's
# in the NuGet cache (the fix changes one byte, the flags of one version need), and the cache's must not
# change at all.
#
# Each run packs a unique pre-release version, so a stale package in the NuGet cache is never used;
# the version is removed from the global packages folder afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
app="$root/tests/consumer/ConsumerApp"
start=$SECONDS
work=$(mktemp -d)
version="0.0.0-consumer.$(date -u +%Y%m%d%H%M%S).$$"
cache=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
cleanup() {
    rm -rf "$work" "$app/bin" "$app/obj"
    [[ -n "$cache" ]] && rm -rf "$cache/autoencoders/$version" "$cache/autoencoders.mlnet/$version"
}
trap cleanup EXIT

echo "-- pack Autoencoders $version"
dotnet pack "$root/src/Autoencoders" -c Release -o "$work/packages" -p:Version="$version" --nologo -v quiet

nupkg="$work/packages/Autoencoders.$version.nupkg"
[[ -f "$work/packages/Autoencoders.$version.snupkg" ]] || { echo "consumer test: no symbols package"; exit 1; }
contents=$(unzip -Z1 "$nupkg")
for entry in buildTransitive/Autoencoders.targets buildTransitive/Autoencoders.NativeFix.dll lib/net10.0/Autoencoders.dll lib/net10.0/Autoencoders.xml README.md LICENSE; do
    grep -qx "$entry" <<<"$contents" || { echo "consumer test: $entry missing from the package"; exit 1; }
done
if grep -E '^lib/' <<<"$contents" | grep -vqxE 'lib/net10.0/Autoencoders\.(dll|xml)'; then
    echo "consumer test: lib/ holds more than the library and its XML docs:"; grep -E '^lib/' <<<"$contents"; exit 1
fi
echo "   package holds the library (alone in lib/), its XML docs, README, LICENSE and the buildTransitive native fix"

echo "-- pack Autoencoders.MLNet $version"
dotnet pack "$root/src/Autoencoders.MLNet" -c Release -o "$work/packages" -p:Version="$version" --nologo -v quiet
# Read the listing into a variable first: "unzip | grep -q" can fail under pipefail when grep exits early.
mlnet_contents=$(unzip -Z1 "$work/packages/Autoencoders.MLNet.$version.nupkg")
grep -qx "lib/net10.0/Autoencoders.MLNet.dll" <<<"$mlnet_contents" || { echo "consumer test: Autoencoders.MLNet.dll missing from its package"; exit 1; }

export AUTOENCODERS_PACKAGE_SOURCE="$work/packages"
build() { # $1: AutoencodersNativeFix, or empty for the default
    dotnet build "$app/ConsumerApp.csproj" -c Release -p:AutoencodersVersion="$version" ${1:+-p:AutoencodersNativeFix=$1} \
        -o "$work/bin" --nologo -v quiet -clp:NoSummary
}
cached="$cache/torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so"
output="$work/bin/libLibTorchSharp.so"
[[ -f "$cached" ]] || { echo "consumer test: TorchSharp's libLibTorchSharp.so is not in the NuGet cache ($cached)"; exit 1; }
changed_bytes() { { cmp -l "$cached" "$output" || true; } | wc -l; }
expect_changed_bytes() { # $1: expected count, $2: what was built
    local n; n=$(changed_bytes)
    [[ "$n" -eq "$1" ]] || { echo "consumer test: $2 left $n byte(s) of libLibTorchSharp.so changed, expected $1"; exit 1; }
}

# awk reads to the end (no early exit): an early exit would SIGPIPE ldconfig and fail the pipeline under pipefail.
libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found = 1}')
lacks=false
if [[ -n "$libstdcxx" ]] && ! grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
    lacks=true
    echo "   this machine's libstdc++ lacks GLIBCXX_3.4.32: the app runs only if the package's buildTransitive fix patched its output"
fi
cache_before=$(sha256sum "$cached")

echo "-- build the consumer app against the package: AutoencodersNativeFix=never, then always, then the default (auto)"
build never
expect_changed_bytes 0 "AutoencodersNativeFix=never"
if $lacks; then
    # In a subshell, so that the shell's "Aborted" notice for the unhandled exception goes to the log too.
    if (dotnet "$work/bin/ConsumerApp.dll"; exit $?) >"$work/never.log" 2>&1; then
        echo "consumer test: the unpatched app ran on a libstdc++ without GLIBCXX_3.4.32"; exit 1
    fi
    grep -q 'NativeRuntimeException' "$work/never.log" && grep -q 'not been patched' "$work/never.log" \
        || { echo "consumer test: the unpatched app did not fail with the library's NativeRuntimeException:"; head -20 "$work/never.log"; exit 1; }
    echo "   never: output copy untouched; the app fails with the library's exception:"
    grep -m1 -o 'NativeRuntimeException: .* could not be loaded' "$work/never.log" | sed 's/^/     /' || true
    grep -m1 -o 'It requires GLIBCXX.*' "$work/never.log" | cut -c1-250 | sed 's/^/     /' || true
else
    echo "   never: output copy untouched"
fi
build always
expect_changed_bytes 1 "AutoencodersNativeFix=always"
echo "   always: output copy patched (one byte)"
build ""
if $lacks; then expect_changed_bytes 1 "the default (auto)"; else expect_changed_bytes 0 "the default (auto)"; fi
echo "   auto: output copy $($lacks && echo patched || echo untouched), as this machine's libstdc++ requires"
[[ "$(sha256sum "$cached")" == "$cache_before" ]] || { echo "consumer test: the NuGet cache's libLibTorchSharp.so changed"; exit 1; }
echo "   the NuGet cache's libLibTorchSharp.so is unchanged"

echo "-- run it"
dotnet "$work/bin/ConsumerApp.dll"
echo "consumer test passed in $((SECONDS - start)) s"
