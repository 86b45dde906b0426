using System.Buffers.Binary;

namespace Autoencoders.Data;

/// <summary>
/// The header of an IDX file, read and checked once for the reader and the streaming source: two zero bytes,
/// the element type code, the number of dimensions (1–8) and each dimension as a big-endian int32.
/// </summary>
/// <param name="Type">The element type.</param>
/// <param name="Dimensions">The dimensions, each ≥ 1.</param>
/// <param name="Count">The number of elements (the product of the dimensions).</param>
internal sealed record IdxHeader(IdxElementType Type, int[] Dimensions, long Count)
{
    /// <summary>Bytes before the data: 4 + 4 per dimension.</summary>
    public long Length => 4 + (4L * Dimensions.Length);

    /// <summary>Bytes of data the header announces.</summary>
    public long DataLength => Count * IdxFormat.ElementSize(Type);

    /// <summary>"[60000, 28, 28] of UnsignedByte", for messages.</summary>
    public string Shape => $"[{string.Join(", ", Dimensions)}] of {Type}";

    /// <summary>Reads the header from the stream's current position.</summary>
    /// <param name="stream">The (decompressed) IDX data.</param>
    /// <param name="source">What to call it in messages.</param>
    /// <param name="maxElements">The most elements accepted (an eager reader's cap), or null for any count a long holds.</param>
    /// <exception cref="InvalidDataException">The header is truncated, foreign or out of range.</exception>
    public static IdxHeader Read(Stream stream, string source, long? maxElements)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, source, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new InvalidDataException(
                $"{source} is not an IDX file: it must start with two zero bytes (or the gzip bytes 1F 8B) but starts with " +
                $"{magic[0]:X2} {magic[1]:X2}.");
        }

        byte code = magic[2];
        if (!Enum.IsDefined((IdxElementType)code))
        {
            throw new InvalidDataException(
                $"{source} has unknown element type code 0x{code:X2}; expected one of 0x08 (ubyte), 0x09 (sbyte), " +
                "0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64).");
        }

        int rank = magic[3];
        if (rank is < 1 or > IdxReader.MaxDimensions)
        {
            throw new InvalidDataException($"{source} declares {rank} dimensions; expected 1 to {IdxReader.MaxDimensions}.");
        }

        Span<byte> dimBytes = stackalloc byte[4 * rank];
        ReadExactly(stream, dimBytes, source, $"the {rank} dimension sizes");
        var dims = new int[rank];
        long count = 1;
        var cap = maxElements ?? long.MaxValue / 8; // leaves room for the element size when counting bytes
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes[(4 * i)..]);
            if (dims[i] <= 0)
            {
                throw new InvalidDataException($"{source} declares dimension {i} as {dims[i]}; every dimension must be ≥ 1.");
            }

            // Each factor is below 2^31 and the running product was at most the cap, so this cannot overflow
            // as long as the cap is below 2^32; a larger cap is checked by division first.
            if (count > cap / dims[i])
            {
                count = cap + 1;
            }
            else
            {
                count *= dims[i];
            }

            if (count > cap)
            {
                throw new InvalidDataException(
                    $"{source} declares dimensions [{string.Join(", ", dims.Take(i + 1))}{(i + 1 < rank ? ", …" : "")}] " +
                    $"with more than {cap} elements, the most this reader accepts.");
            }
        }

        return new IdxHeader((IdxElementType)code, dims, count);
    }

    private static void ReadExactly(Stream stream, Span<byte> destination, string source, string what)
    {
        int read = stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        if (read < destination.Length)
        {
            throw new InvalidDataException(
                $"{source} is truncated in its header: expected {destination.Length} bytes for {what} but found {read}.");
        }
    }
}
