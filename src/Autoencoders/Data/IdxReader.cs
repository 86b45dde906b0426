using System.Buffers.Binary;
using System.IO.Compression;

namespace Autoencoders.Data;

/// <summary>
/// Reads IDX files (the format of MNIST and Fashion-MNIST), raw or gzip-compressed.
/// </summary>
/// <remarks>
/// <para>The format: two zero bytes, a type code (0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32,
/// 0x0D float32, 0x0E float64), the number of dimensions (1–8), each dimension as a big-endian int32,
/// then the big-endian values in row-major order. Compression is detected from the gzip magic bytes
/// (1F 8B), not from the file name.</para>
/// <para>Nothing is allocated from an unchecked header: the element count must fit the cap, a raw file
/// must be exactly as long as its header says, and a gzip file may not claim more than 1100 bytes per
/// compressed byte (deflate cannot exceed about 1032:1); its values array grows with the data actually
/// decompressed rather than being allocated from the header's claim. Every problem raises an
/// <see cref="InvalidDataException"/> naming the file, what was expected and what was found.</para>
/// <example>
/// <code>
/// IdxArray labels = IdxReader.Read("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
/// // labels.Dimensions = [10000], labels.ElementType = UnsignedByte
/// </code>
/// </example>
/// </remarks>
public static class IdxReader
{
    /// <summary>The largest number of dimensions an IDX file may declare.</summary>
    public const int MaxDimensions = 8;

    /// <summary>The largest number of elements accepted (2²⁸ ≈ 268 million, i.e. 1 GiB of floats).</summary>
    public const int MaxElementCount = 1 << 28;

    /// <summary>The largest decompressed-to-compressed size ratio accepted for gzip files.</summary>
    internal const long MaxGzipRatio = 1100;

    private const int ChunkSize = 1 << 16;

    /// <summary>Reads an IDX file, raw or gzip-compressed.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The dimensions, element type and values.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(stream, $"IDX file '{path}'");
    }

    /// <summary>
    /// Reads IDX data, raw or gzip-compressed, from the current position to the end of a stream.
    /// A stream that cannot seek is first copied into memory.
    /// </summary>
    /// <param name="stream">The stream to read; it is not disposed.</param>
    /// <returns>The dimensions, element type and values.</returns>
    /// <exception cref="InvalidDataException">The data is not a valid IDX file.</exception>
    public static IdxArray Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, "IDX stream");
    }

    private static IdxArray Read(Stream stream, string source)
    {
        if (!stream.CanSeek)
        {
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            buffer.Position = 0;
            stream = buffer;
        }

        long available = stream.Length - stream.Position;
        Span<byte> first = stackalloc byte[2];
        int got = stream.ReadAtLeast(first, 2, throwOnEndOfStream: false);
        stream.Seek(-got, SeekOrigin.Current);
        if (got == 2 && first[0] == 0x1F && first[1] == 0x8B)
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            try
            {
                return ReadBody(gzip, source + " (gzip)", compressedLength: available, rawLength: null);
            }
            catch (InvalidDataException e) when (e.TargetSite?.DeclaringType?.Assembly != typeof(IdxReader).Assembly)
            {
                throw new InvalidDataException($"{source} is not a valid gzip stream: {e.Message}", e);
            }
        }

        return ReadBody(stream, source, compressedLength: null, rawLength: available);
    }

    private static IdxArray ReadBody(Stream stream, string source, long? compressedLength, long? rawLength)
    {
        var header = IdxHeader.Read(stream, source, MaxElementCount);
        var type = header.Type;
        var count = header.Count;
        int elementSize = IdxFormat.ElementSize(type);
        long headerLength = header.Length;
        long dataLength = header.DataLength;
        string shape = header.Shape;
        if (rawLength is long raw && raw != headerLength + dataLength)
        {
            throw new InvalidDataException(
                $"{source} has the wrong length for dimensions {shape}: expected {headerLength + dataLength} bytes " +
                $"({headerLength} header + {dataLength} data) but found {raw}" +
                (raw < headerLength + dataLength ? " (truncated)." : " (trailing bytes after the data)."));
        }

        if (compressedLength is long compressed && headerLength + dataLength > compressed * MaxGzipRatio)
        {
            throw new InvalidDataException(
                $"{source} claims {headerLength + dataLength} bytes for dimensions {shape} but is only {compressed} bytes " +
                $"compressed; more than {MaxGzipRatio}:1 is impossible for deflate, so the header is corrupt.");
        }

        // A raw file's length was checked against the header above, so its array can be allocated at
        // once. A gzip stream's header is only bounded by the deflate ratio, so its array grows with the
        // data actually decompressed: a forged header cannot make it allocate more than it delivers.
        var data = new float[compressedLength is null ? count : Math.Min(count, ChunkSize)];
        var buffer = new byte[(int)Math.Min(dataLength, ChunkSize)];
        int perChunk = buffer.Length / elementSize;
        for (int done = 0; done < count;)
        {
            int n = (int)Math.Min(perChunk, count - done);
            int want = n * elementSize;
            int read = stream.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
            if (read < want)
            {
                long found = (long)done * elementSize + read;
                throw new InvalidDataException(
                    $"{source} is truncated: dimensions {shape} need {dataLength} data bytes but only {found} follow the header.");
            }

            if (done + n > data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(count, 2L * data.Length));
            }

            IdxFormat.Decode(type, buffer.AsSpan(0, want), data.AsSpan(done, n));
            done += n;
        }

        if (compressedLength is not null && stream.ReadByte() >= 0)
        {
            throw new InvalidDataException(
                $"{source} has trailing data: dimensions {shape} need {dataLength} data bytes but more follow.");
        }

        return new IdxArray(type, header.Dimensions, data);
    }
}
