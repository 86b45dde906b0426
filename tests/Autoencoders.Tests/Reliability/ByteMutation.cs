using System.Buffers.Binary;
using CsCheck;

namespace Autoencoders.Tests.Reliability;

/// <summary>The kinds of damage <see cref="ByteMutation"/> does to a file.</summary>
internal enum MutationKind
{
    FlipBit,
    SetByte,
    SetInt32BigEndian,
    SetInt32LittleEndian,
    SetInt64LittleEndian,
    Truncate,
    Delete,
    Insert,
    Duplicate,
}

/// <summary>
/// One change to a file's bytes. Positions are taken modulo the file's length, and half of them fall
/// in the first 64 bytes, where the headers are.
/// </summary>
internal readonly record struct ByteMutation(MutationKind Kind, int Position, long Value, int Length)
{
    /// <summary>Integers that sit on the edges readers must check: zero, signs, caps, overflow points.</summary>
    public static readonly long[] Interesting =
    [
        0, 1, -1, 2, 7, 8, 255, 256, 0x7FFF, 0xFFFF, 0x10000, 1 << 24, (1 << 28) - 1, 1 << 28, (1 << 28) + 1,
        int.MaxValue, int.MinValue, uint.MaxValue, 1L << 32, 64L << 20, (64L << 20) + 1, long.MaxValue, long.MinValue,
    ];

    public static Gen<ByteMutation> Gen { get; } =
        CsCheck.Gen.Select(
            CsCheck.Gen.Enum<MutationKind>(),
            CsCheck.Gen.OneOf(CsCheck.Gen.Int[0, 63], CsCheck.Gen.Int[0, int.MaxValue]),
            CsCheck.Gen.OneOf(CsCheck.Gen.Int[0, Interesting.Length - 1].Select(i => Interesting[i]), CsCheck.Gen.Long),
            CsCheck.Gen.OneOf(CsCheck.Gen.Int[1, 8], CsCheck.Gen.Int[1, 4096]),
            (kind, position, value, length) => new ByteMutation(kind, position, value, length));

    /// <summary>One to four mutations in a row.</summary>
    public static Gen<ByteMutation[]> Several { get; } = Gen.Array[1, 4];

    public static byte[] ApplyAll(byte[] original, IEnumerable<ByteMutation> mutations) =>
        mutations.Aggregate(original, (bytes, mutation) => mutation.Apply(bytes));

    public byte[] Apply(byte[] original)
    {
        if (original.Length == 0)
        {
            return Kind == MutationKind.Insert ? BitConverter.GetBytes(Value) : original;
        }

        var at = Position % original.Length;
        var bytes = (byte[])original.Clone();
        switch (Kind)
        {
            case MutationKind.FlipBit:
                bytes[at] ^= (byte)(1 << (int)(Value & 7));
                return bytes;
            case MutationKind.SetByte:
                bytes[at] = (byte)Value;
                return bytes;
            case MutationKind.SetInt32BigEndian when at + 4 <= bytes.Length:
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), unchecked((int)Value));
                return bytes;
            case MutationKind.SetInt32LittleEndian when at + 4 <= bytes.Length:
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), unchecked((int)Value));
                return bytes;
            case MutationKind.SetInt64LittleEndian when at + 8 <= bytes.Length:
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), Value);
                return bytes;
            case MutationKind.Truncate:
                return bytes[..at];
            case MutationKind.Delete:
                return [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + Length)..]];
            case MutationKind.Insert:
                return [.. bytes[..at], .. Filler(Length), .. bytes[at..]];
            case MutationKind.Duplicate:
                return [.. bytes[..at], .. bytes[at..Math.Min(bytes.Length, at + Length)], .. bytes[at..]];
            default:
                bytes[at] ^= 0xFF;
                return bytes;
        }
    }

    private byte[] Filler(int length)
    {
        var filler = new byte[length];
        new Random(unchecked((int)Value)).NextBytes(filler);
        return filler;
    }
}
