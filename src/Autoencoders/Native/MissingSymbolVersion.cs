using System.Text.RegularExpressions;

namespace Autoencoders.Native;

/// <summary>
/// The dynamic loader's refusal of a library because a symbol version it needs is missing, read from the loader's
/// message: <see cref="RequiredBy"/> needs <see cref="Version"/>, which <see cref="Provider"/> does not define.
/// </summary>
/// <remarks>
/// glibc words it "&lt;provider&gt;: version `&lt;version&gt;' not found (required by &lt;library&gt;)", e.g.
/// "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/libLibTorchSharp.so)".
/// A requirement the build-time fix has marked weak never produces this error, so the message alone tells whether the
/// copy that failed still needs the version strictly; the runtime reads no ELF itself.
/// </remarks>
internal sealed partial record MissingSymbolVersion(string Provider, string Version, string RequiredBy)
{
    /// <summary>The first such refusal in <paramref name="loaderMessage"/>, or null when it reports none.</summary>
    public static MissingSymbolVersion? Find(string loaderMessage)
    {
        var match = Pattern().Match(loaderMessage);
        return match.Success
            ? new MissingSymbolVersion(match.Groups["provider"].Value, match.Groups["version"].Value, match.Groups["requiredBy"].Value.Trim())
            : null;
    }

    [GeneratedRegex(@"(?<provider>[^\s:][^:\n]*): version `(?<version>[^']+)' not found \(required by (?<requiredBy>[^)\n]+)\)")]
    private static partial Regex Pattern();
}
