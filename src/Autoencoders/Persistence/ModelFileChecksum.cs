using System.Security.Cryptography;
using System.Text;

namespace Autoencoders.Persistence;

/// <summary>
/// The SHA-256 in a model file's <c>__metadata__</c>: it covers the header itself (with the hash's own
/// 64 characters as zeros) and the data section, so that neither the weights nor the spec, scaler or an
/// application's fields (a detector's threshold) can change unnoticed. It detects damage, not forgery:
/// anyone can recompute it, which is why the reader checks everything else as well.
/// </summary>
internal static class ModelFileChecksum
{
    /// <summary>The value the writer puts in the header before it seals it.</summary>
    public static readonly string Placeholder = new('0', 64);

    /// <summary>
    /// The header with its hash filled in. A header without the field (only a damaged one) is returned
    /// unchanged; such a file never loads.
    /// </summary>
    public static byte[] Seal(byte[] header, ReadOnlySpan<byte> data)
    {
        var sealedHeader = (byte[])header.Clone();
        var at = HashPosition(sealedHeader, null);
        if (at < 0 || at + Placeholder.Length > sealedHeader.Length)
        {
            return sealedHeader;
        }

        Encoding.ASCII.GetBytes(Placeholder).CopyTo(sealedHeader, at);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(sealedHeader);
        hash.AppendData(data);
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hash.GetHashAndReset())).CopyTo(sealedHeader, at);
        return sealedHeader;
    }

    /// <summary>
    /// Whether <paramref name="expected"/> is the seal of this header and of the data that
    /// <paramref name="appendData"/> feeds to the hash.
    /// </summary>
    public static bool IsSealed(ReadOnlySpan<byte> header, string? expected, Action<IncrementalHash> appendData)
    {
        if (expected is null || expected.Length != Placeholder.Length)
        {
            return false;
        }

        var copy = header.ToArray();
        var at = HashPosition(copy, expected);
        if (at < 0)
        {
            return false;
        }

        Encoding.ASCII.GetBytes(Placeholder).CopyTo(copy, at);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(copy);
        appendData(hash);
        return string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), expected, StringComparison.Ordinal);
    }

    /// <summary>Where the hash's characters start in the header bytes (the value after "sha256":"), or −1.</summary>
    private static int HashPosition(byte[] header, string? value)
    {
        var key = Encoding.ASCII.GetBytes("\"sha256\":\"" + (value ?? string.Empty));
        var index = header.AsSpan().IndexOf(key);
        return index < 0 ? -1 : index + key.Length - (value?.Length ?? 0);
    }
}
