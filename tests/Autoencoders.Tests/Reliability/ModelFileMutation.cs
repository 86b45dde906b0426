using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;

namespace Autoencoders.Tests.Reliability;

/// <summary>What part of a model file a <see cref="ModelFileMutation"/> damages.</summary>
internal enum ModelFileTarget
{
    /// <summary>Any bytes, the length prefix included.</summary>
    Bytes,

    /// <summary>Numbers and words of the JSON header (the spec's among them), with the length prefix kept right.</summary>
    Header,

    /// <summary>Header edits and/or data bytes, with the length prefix and the checksum recomputed: a forged file.</summary>
    Forged,
}

/// <summary>
/// A change to a model file (a safetensors container): byte damage anywhere, edits of the JSON header
/// that keep it parseable, or a forgery whose length prefix and data checksum are made consistent so that
/// the reader's deeper checks (spec, tensor table, sizes, values) are reached.
/// </summary>
internal sealed record ModelFileMutation(ModelFileTarget Target, ByteMutation[] Bytes, (int Which, int Replacement)[] HeaderEdits, (int Position, int Value)[] DataEdits)
{
    private static readonly string[] Numbers =
    [
        "0", "-1", "1", "2", "3", "-0", "1.5", "65536", "2147483647", "2147483648", "4294967296", "99999999999999999999", "1e308", "-9223372036854775808",
        "100000", "46341",
    ];

    private static readonly string[] Words =
    [
        "F32", "I64", "U8", "F64", "BF16", "", "dtype", "shape", "data_offsets", "__metadata__", "format", "format_version", "sha256",
        "spec", "scaler", "none", "standard", "minmax", "app_vectors", "app_blobs", "calibration", "threshold", "application",
        "anomaly-detector", "training-checkpoint", "dense", "convolutional", "gaussian", "deterministic", "null", "true", "Sigmoid",
        "weight", "bias", "encoder", "NaN", "Infinity", "optimizer", "state", "ReconstructionError", "NegativeElbo",
    ];

    private static readonly int[] Floats =
    [
        BitConverter.SingleToInt32Bits(float.NaN), BitConverter.SingleToInt32Bits(float.PositiveInfinity),
        BitConverter.SingleToInt32Bits(float.NegativeInfinity), 0, BitConverter.SingleToInt32Bits(-0f), 1,
        BitConverter.SingleToInt32Bits(float.MaxValue), BitConverter.SingleToInt32Bits(1e-30f), -1, int.MaxValue,
    ];

    public static Gen<ModelFileMutation> Gen { get; } =
        CsCheck.Gen.Select(
            CsCheck.Gen.Enum<ModelFileTarget>(),
            ByteMutation.Several,
            CsCheck.Gen.Select(CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Int[0, int.MaxValue]).Array[0, 3],
            CsCheck.Gen.Select(CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Int[0, Floats.Length - 1].Select(i => Floats[i])).Array[0, 3],
            (target, bytes, header, data) => new ModelFileMutation(target, bytes, header, data));

    public byte[] Apply(byte[] file)
    {
        if (Target == ModelFileTarget.Bytes)
        {
            return ByteMutation.ApplyAll(file, Bytes);
        }

        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = Encoding.UTF8.GetString(file, 8, headerLength);
        var data = file[(8 + headerLength)..];
        foreach (var (which, replacement) in HeaderEdits)
        {
            header = Edit(header, which, replacement);
        }

        if (Target == ModelFileTarget.Forged)
        {
            foreach (var (position, value) in DataEdits)
            {
                if (data.Length >= 4)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(position % (data.Length / 4) * 4), value);
                }
            }

            header = Encoding.UTF8.GetString(Autoencoders.Persistence.ModelFileChecksum.Seal(Encoding.UTF8.GetBytes(header), data));
        }

        var headerBytes = Encoding.UTF8.GetBytes(header);
        var result = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)headerBytes.Length);
        headerBytes.CopyTo(result, 8);
        data.CopyTo(result, 8 + headerBytes.Length);
        return result;
    }

    /// <summary>Replaces one number or one word of the header (inside the embedded spec JSON too), or duplicates or drops a stretch.</summary>
    private static string Edit(string header, int which, int replacement)
    {
        var numbers = Regex.Matches(header, "-?[0-9][0-9.eE+-]*");
        var words = Regex.Matches(header, "[A-Za-z_][A-Za-z0-9_.-]*");
        switch (replacement % 4)
        {
            case 0 when numbers.Count > 0:
                var number = numbers[which % numbers.Count];
                return header[..number.Index] + Numbers[replacement / 4 % Numbers.Length] + header[(number.Index + number.Length)..];
            case 1 when words.Count > 0:
                var word = words[which % words.Count];
                return header[..word.Index] + Words[replacement / 4 % Words.Length] + header[(word.Index + word.Length)..];
            case 2:
                // Duplicate a stretch starting at a comma or brace: often a duplicate key or entry.
                var start = which % header.Length;
                var length = Math.Min(header.Length - start, 1 + (replacement / 4 % 200));
                return header[..(start + length)] + header.Substring(start, length) + header[(start + length)..];
            default:
                var from = which % header.Length;
                return header[..from] + header[Math.Min(header.Length, from + 1 + (replacement / 4 % 40))..];
        }
    }

    public override string ToString() =>
        $"{Target}: bytes [{string.Join("; ", Bytes)}], header [{string.Join("; ", HeaderEdits)}], data [{string.Join("; ", DataEdits)}]";
}
