using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Autoencoders.Data;

/// <summary>Shared IDX format facts for the reader and the writer.</summary>
internal static class IdxFormat
{
    internal static int ElementSize(IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Single => 4,
        IdxElementType.Double => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown IDX element type."),
    };

    internal static string Describe(byte code) => Enum.IsDefined((IdxElementType)code)
        ? $"{(IdxElementType)code} (0x{code:X2})"
        : $"0x{code:X2}";

    /// <summary>Converts big-endian elements to floats.</summary>
    internal static void Decode(IdxElementType type, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (type)
        {
            case IdxElementType.UnsignedByte:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = source[i];
                }

                break;
            case IdxElementType.SignedByte:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (sbyte)source[i];
                }

                break;
            case IdxElementType.Int16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16BigEndian(source[(2 * i)..]);
                }

                break;
            case IdxElementType.Int32:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt32BigEndian(source[(4 * i)..]);
                }

                break;
            case IdxElementType.Single:
                // The bytes of a big-endian float, reversed as an int, are the float's bits: one vectorised pass.
                ReverseInt32s(source, MemoryMarshal.Cast<float, int>(destination));
                break;
            case IdxElementType.Double:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(source[(8 * i)..]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown IDX element type.");
        }
    }

    private static void ReverseInt32s(ReadOnlySpan<byte> source, Span<int> destination)
    {
        var words = MemoryMarshal.Cast<byte, int>(source[..(4 * destination.Length)]);
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(words, destination);
        }
        else
        {
            words.CopyTo(destination);
        }
    }
}
