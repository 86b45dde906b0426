#!/usr/bin/env bash
# Consumer test: packs the library and the ML.NET package, then builds and runs tests/consumer/ConsumerApp, a separate console
# app that takes the package BY VERSION from the packed folder (plus TorchSharp-cpu from nuget.org),
# exactly as a user's app does. On Debian 12 / Ubuntu 22.04 it only runs if the package's
# buildTransitive native fix reached the consumer's build: no step here touches the native library.
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
for entry in buildTransitive/Autoencoders.targets buildTransitive/ElfVersionNeedPatcher.cs lib/net10.0/Autoencoders.dll lib/net10.0/Autoencoders.xml README.md LICENSE; do
    grep -qx "$entry" <<<"$contents" || { echo "consumer test: $entry missing from the package"; exit 1; }
done
echo "   package holds the library, its XML docs, README, LICENSE and the buildTransitive native fix"

echo "-- pack Autoencoders.MLNet $version"
dotnet pack "$root/src/Autoencoders.MLNet" -c Release -o "$work/packages" -p:Version="$version" --nologo -v quiet
unzip -Z1 "$work/packages/Autoencoders.MLNet.$version.nupkg" | grep -qx "lib/net10.0/Autoencoders.MLNet.dll" || { echo "consumer test: Autoencoders.MLNet.dll missing from its package"; exit 1; }

echo "-- build the consumer app against the packages"
export AUTOENCODERS_PACKAGE_SOURCE="$work/packages"
dotnet build "$app/ConsumerApp.csproj" -c Release -p:AutoencodersVersion="$version" -o "$work/bin" --nologo -v quiet

libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
if [[ -n "$libstdcxx" ]] && ! grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
    echo "   this machine's libstdc++ lacks GLIBCXX_3.4.32: the app runs only if the package's buildTransitive fix patched its output"
fi

echo "-- run it"
dotnet "$work/bin/ConsumerApp.dll"
echo "consumer test passed in $((SECONDS - start)) s"
