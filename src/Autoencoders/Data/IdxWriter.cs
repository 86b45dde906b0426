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

    private static byte[] Encode(IdxArray array)
    {
        var type = array.ElementType;
        int size = IdxFormat.ElementSize(type);
        int header = 4 + 4 * array.Dimensions.Length;
        var bytes = new byte[checked(header + (long)array.Length * size)];
        bytes[2] = (byte)type;
        bytes[3] = (byte)array.Dimensions.Length;
        for (int i = 0; i < array.Dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), array.Dimensions[i]);
        }

        var data = array.Data;
        var body = bytes.AsSpan(header);
        for (int i = 0; i < data.Length; i++)
        {
            float v = data[i];
            switch (type)
            {
                case IdxElementType.UnsignedByte:
                    body[i] = (byte)CheckInteger(v, byte.MinValue, byte.MaxValue, i, type);
                    break;
                case IdxElementType.SignedByte:
                    body[i] = unchecked((byte)(sbyte)CheckInteger(v, sbyte.MinValue, sbyte.MaxValue, i, type));
                    break;
                case IdxElementType.Int16:
                    BinaryPrimitives.WriteInt16BigEndian(body[(2 * i)..], (short)CheckInteger(v, short.MinValue, short.MaxValue, i, type));
                    break;
                case IdxElementType.Int32:
                    BinaryPrimitives.WriteInt32BigEndian(body[(4 * i)..], (int)CheckInteger(v, int.MinValue, int.MaxValue, i, type));
                    break;
                case IdxElementType.Single:
                    BinaryPrimitives.WriteSingleBigEndian(body[(4 * i)..], v);
                    break;
                case IdxElementType.Double:
                    BinaryPrimitives.WriteDoubleBigEndian(body[(8 * i)..], v);
                    break;
            }
        }

        return bytes;
    }

    private static double CheckInteger(float value, double min, double max, int index, IdxElementType type)
    {
        if (!(value >= min && value <= max) || value != MathF.Round(value))
        {
            throw new ArgumentException(
                $"Value {value} at index {index} is not representable as {type} (an integer in [{min}, {max}]).", nameof(value));
        }

        return value;
    }
}
