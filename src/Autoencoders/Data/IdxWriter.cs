using System.Buffers.Binary;
using System.IO.Compression;

namespace Autoencoders.Data;

/// <summary>Writes IDX files, raw or gzip-compressed, readable by <see cref="IdxReader"/> and other IDX tools.</summary>
/// <remarks>
/// <example>
/// <code>
/// byte[] labels = [0, 3, 9];
/// IdxWriter.Write("labels-idx1-ubyte.gz", labels, [3], gzip: true);
/// </code>
/// </example>
/// </remarks>
public static class IdxWriter
{
    /// <summary>Writes unsigned bytes (type 0x08), e.g. pixels or labels.</summary>
    /// <param name="path">The file to create or replace; it is written to a temporary file first, then moved.</param>
    /// <param name="data">The values, row-major.</param>
    /// <param name="dimensions">One to eight positive dimensions whose product equals the data length.</param>
    /// <param name="gzip">Whether to gzip-compress the file.</param>
    /// <exception cref="ArgumentException">The dimensions are invalid or do not match the data length.</exception>
    public static void Write(string path, byte[] data, int[] dimensions, bool gzip = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var values = new float[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            values[i] = data[i];
        }

        Write(path, new IdxArray(IdxElementType.UnsignedByte, dimensions, values), gzip);
    }

    /// <summary>Writes an array in its <see cref="IdxArray.ElementType"/>.</summary>
    /// <param name="path">The file to create or replace; it is written to a temporary file first, then moved.</param>
    /// <param name="array">The array to write.</param>
    /// <param name="gzip">Whether to gzip-compress the file.</param>
    /// <exception cref="ArgumentException">A value is not representable in the element type (e.g. 3.5 as ubyte).</exception>
    public static void Write(string path, IdxArray array, bool gzip = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(array);
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                Write(file, array, gzip);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes an array in its <see cref="IdxArray.ElementType"/> to a stream.</summary>
    /// <param name="stream">The stream to write to; it is not disposed.</param>
    /// <param name="array">The array to write.</param>
    /// <param name="gzip">Whether to gzip-compress the output.</param>
    /// <exception cref="ArgumentException">A value is not representable in the element type (e.g. 3.5 as ubyte).</exception>
    public static void Write(Stream stream, IdxArray array, bool gzip = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        var bytes = Encode(array);
        if (gzip)
        {
            using var compressed = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
            compressed.Write(bytes);
        }
        else
        {
            stream.Write(bytes);
        }
    }

    /// <summary>
    /// Writes every sample of a source, in its order, to an IDX file of dimensions [N, ...SampleShape], one
    /// batch at a time: memory stays bounded whatever the source's size. A sample shape [1, H, W] is written as
    /// [N, H, W], which <see cref="DataSource.FromIdx"/> and <see cref="FashionMnist"/> read back as images.
    /// Converting a CSV or Parquet file once to a raw float32 IDX file lets training read it by random
    /// access, so that shuffling also permutes its chunks.
    /// </summary>
    /// <param name="path">The file to create or replace; it is written to a temporary file first, then moved.</param>
    /// <param name="source">The samples.</param>
    /// <param name="elementType">How values are stored; float32 by default (integer types must hold integers in range).</param>
    /// <param name="gzip">Whether to gzip-compress the file (a source without a declared count is then read twice: once to count it).</param>
    /// <param name="cancellationToken">Stops between two batches; nothing is left behind.</param>
    /// <returns>The number of samples written.</returns>
    /// <exception cref="DataSourceException">A sample could not be read.</exception>
    /// <exception cref="ArgumentException">A value is not representable in the element type.</exception>
    public static long Write(string path, DataSource source, IdxElementType elementType = IdxElementType.Single, bool gzip = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(source);
        if (!Enum.IsDefined(elementType))
        {
            throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "Unknown IDX element type.");
        }

        var shape = source.SampleShape;
        int[] sampleDims = shape.Length == 3 && shape[0] == 1 ? [(int)shape[1], (int)shape[2]] : [.. shape.Select(d => checked((int)d))];
        if (sampleDims.Length + 1 > IdxReader.MaxDimensions)
        {
            throw new ArgumentException($"IDX files hold at most {IdxReader.MaxDimensions} dimensions; samples of shape {Shapes.Format(shape)} need {shape.Length + 1}.", nameof(source));
        }

        // A raw file gets its count patched in at the end; a compressed one needs it before the data.
        long? count = source.TryGetCount(out var known) ? known : gzip ? source.ComputeStatistics(cancellationToken).Count : null;
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            long written = 0;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 20))
            {
                var header = Header(elementType, [checked((int)(count ?? 0)), .. sampleDims]);
                var body = gzip ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : (Stream)file;
                try
                {
                    body.Write(header);
                    var bytes = Array.Empty<byte>();
                    foreach (var batch in source.Batches(4096, shuffle: false))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        float[] values;
                        using (batch)
                        {
                            values = batch.data<float>().ToArray();
                        }

                        var length = values.Length * IdxFormat.ElementSize(elementType);
                        if (bytes.Length < length)
                        {
                            bytes = new byte[length];
                        }

                        EncodeValues(elementType, values, bytes, written * source.FeatureCount);
                        body.Write(bytes, 0, length);
                        written += values.Length / source.FeatureCount;
                    }

                    if (written > int.MaxValue)
                    {
                        throw new InvalidDataException($"IDX dimensions are 32-bit: at most {int.MaxValue} samples fit in one file, but the source holds {written}.");
                    }

                    if (count is long declared && declared != written)
                    {
                        throw new InvalidDataException($"The source declared {declared} samples but yielded {written}.");
                    }
                }
                finally
                {
                    if (gzip)
                    {
                        body.Dispose(); // writes the end of the compressed data; the file stays open
                    }
                }

                if (count is null)
                {
                    file.Position = 4;
                    Span<byte> first = stackalloc byte[4];
                    BinaryPrimitives.WriteInt32BigEndian(first, (int)written);
                    file.Write(first);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            return written;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static byte[] Encode(IdxArray array)
    {
        var type = array.ElementType;
        var header = Header(type, array.Dimensions);
        var bytes = new byte[checked(header.Length + (long)array.Length * IdxFormat.ElementSize(type))];
        header.CopyTo(bytes, 0);
        EncodeValues(type, array.Data, bytes.AsSpan(header.Length), firstIndex: 0);
        return bytes;
    }

    private static byte[] Header(IdxElementType type, int[] dimensions)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = (byte)type;
        header[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dimensions[i]);
        }

        return header;
    }

    /// <summary>Encodes values big-endian in <paramref name="type"/>; <paramref name="firstIndex"/> places them in messages.</summary>
    private static void EncodeValues(IdxElementType type, ReadOnlySpan<float> data, Span<byte> body, long firstIndex)
    {
        for (int i = 0; i < data.Length; i++)
        {
            float v = data[i];
            long index = firstIndex + i;
            switch (type)
            {
                case IdxElementType.UnsignedByte:
                    body[i] = (byte)CheckInteger(v, byte.MinValue, byte.MaxValue, index, type);
                    break;
                case IdxElementType.SignedByte:
                    body[i] = unchecked((byte)(sbyte)CheckInteger(v, sbyte.MinValue, sbyte.MaxValue, index, type));
                    break;
                case IdxElementType.Int16:
                    BinaryPrimitives.WriteInt16BigEndian(body[(2 * i)..], (short)CheckInteger(v, short.MinValue, short.MaxValue, index, type));
                    break;
                case IdxElementType.Int32:
                    BinaryPrimitives.WriteInt32BigEndian(body[(4 * i)..], (int)CheckInteger(v, int.MinValue, int.MaxValue, index, type));
                    break;
                case IdxElementType.Single:
                    BinaryPrimitives.WriteSingleBigEndian(body[(4 * i)..], v);
                    break;
                case IdxElementType.Double:
                    BinaryPrimitives.WriteDoubleBigEndian(body[(8 * i)..], v);
                    break;
            }
        }
    }

    private static double CheckInteger(float value, double min, double max, long index, IdxElementType type)
    {
        if (!(value >= min && value <= max) || value != MathF.Round(value))
        {
            throw new ArgumentException(
                $"Value {value} at index {index} is not representable as {type} (an integer in [{min}, {max}]).", nameof(value));
        }

        return value;
    }
}
