using System.IO.Compression;
using System.Numerics;

namespace Autoencoders.Data.Streaming;

/// <summary>
/// Streams an IDX file. A raw file is read by position (<see cref="RandomAccess"/>), one chunk of samples at
/// a time and in any chunk order; a gzip file is decompressed front to back. The header is checked when the
/// source is opened; the file's length again on every read, so a file truncated while it is being used is
/// reported at the exact sample where it now ends.
/// </summary>
internal sealed class IdxSource : StreamingSource
{
    private readonly string path;
    private readonly IdxHeader header;
    private readonly bool gzip;
    private readonly float divideBy;
    private readonly int rowBytes;

    private IdxSource(string path, IdxHeader header, bool gzip, float divideBy, long[] sampleShape, StreamingOptions options)
        : base($"IDX file '{path}'", sampleShape, featureNames: null, options, declaredCount: header.Dimensions[0])
    {
        this.path = path;
        this.header = header;
        this.gzip = gzip;
        this.divideBy = divideBy;
        rowBytes = FeatureCount * IdxFormat.ElementSize(header.Type);
    }

    internal override int? ChunkCount =>
        gzip ? null : (int)Math.Min(int.MaxValue, (header.Dimensions[0] + (long)ChunkRows - 1) / ChunkRows);

    private protected override string Detail => $" ({(gzip ? "gzip" : "raw")} {header.Type}{(divideBy != 1 ? $", divided by {divideBy:g}" : string.Empty)})";

    public static IdxSource Open(string path, float divideBy, StreamingOptions options)
    {
        var name = $"IDX file '{path}'";
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The {name} does not exist.", path);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var gzip = IsGzip(file);
        IdxHeader header;
        var content = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : (Stream)file;
        try
        {
            header = IdxHeader.Read(content, name + (gzip ? " (gzip)" : string.Empty), maxElements: null);
        }
        catch (InvalidDataException e)
        {
            throw new DataSourceException(e.Message, name, innerException: e);
        }
        finally
        {
            if (gzip)
            {
                content.Dispose();
            }
        }

        var dims = header.Dimensions;
        if (dims.Length == 1)
        {
            throw new DataSourceException(
                $"The {name} is one-dimensional ({dims[0]} values): it looks like labels, not samples. Pass the images, or an array [samples, features].",
                name);
        }

        long[] sampleShape = dims.Length == 3 ? [1, dims[1], dims[2]] : [.. dims.Skip(1).Select(d => (long)d)];
        if (sampleShape.Aggregate(1.0, (p, d) => p * d) > int.MaxValue)
        {
            throw new DataSourceException($"The {name} has samples of {header.Shape} with more than {int.MaxValue} values each.", name);
        }

        var source = new IdxSource(path, header, gzip, divideBy, sampleShape, options);
        if (!gzip)
        {
            source.CheckLength(file.Length, firstRow: 0);
        }

        return source;
    }

    internal override string Position(long row, int feature)
    {
        var shape = SampleShape;
        var where = $"sample {row}, feature {feature}";
        if (shape.Length > 1)
        {
            var index = new long[shape.Length];
            long rest = feature;
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }

            where += $" (sample index [{string.Join(", ", index)}])";
        }

        return gzip ? where : $"{where}, byte {header.Length + (row * rowBytes) + ((long)feature * IdxFormat.ElementSize(header.Type))}";
    }

    private protected override IEnumerable<SampleBlock> ReadChunks(int[]? order, BlockPool pool, CancellationToken cancellationToken) =>
        gzip ? ReadCompressed(pool, cancellationToken) : ReadRaw(order, pool, cancellationToken);

    private IEnumerable<SampleBlock> ReadRaw(int[]? order, BlockPool pool, CancellationToken cancellationToken)
    {
        var count = header.Dimensions[0];
        var chunks = ChunkCount!.Value;
        var bytes = new byte[(long)Math.Min(ChunkRows, count) * rowBytes];
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, order is null ? FileOptions.SequentialScan : FileOptions.RandomAccess);
        for (var i = 0; i < chunks; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = order?[i] ?? i;
            var firstRow = (long)chunk * ChunkRows;
            var rows = (int)Math.Min(ChunkRows, count - firstRow);
            var want = rows * rowBytes;
            var offset = header.Length + (firstRow * rowBytes);
            var got = 0;
            while (got < want)
            {
                var read = RandomAccess.Read(handle, bytes.AsSpan(got, want - got), offset + got);
                if (read == 0)
                {
                    CheckLength(RandomAccess.GetLength(handle), firstRow);
                    break;
                }

                got += read;
            }

            yield return Decode(bytes, firstRow, rows, pool);
        }
    }

    private IEnumerable<SampleBlock> ReadCompressed(BlockPool pool, CancellationToken cancellationToken)
    {
        var count = header.Dimensions[0];
        var bytes = new byte[(long)Math.Min(ChunkRows, count) * rowBytes];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1 << 16, FileOptions.SequentialScan);
        using var content = new GZipStream(file, CompressionMode.Decompress);
        content.ReadExactly(new byte[header.Length]);
        for (long firstRow = 0; firstRow < count; firstRow += ChunkRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = (int)Math.Min(ChunkRows, count - firstRow);
            var want = rows * rowBytes;
            int got;
            try
            {
                got = content.ReadAtLeast(bytes.AsSpan(0, want), want, throwOnEndOfStream: false);
            }
            catch (InvalidDataException e)
            {
                throw new DataSourceException(
                    $"The {Name} is not valid gzip data within samples {firstRow}–{firstRow + rows - 1}: {e.Message} Restore the file from a good copy.",
                    Name,
                    firstRow,
                    innerException: e);
            }

            if (got < want)
            {
                var complete = firstRow + (got / rowBytes);
                throw new DataSourceException(
                    $"The {Name} ends early: its data stops inside sample {complete} ({complete} complete samples), but the header declares {count} samples of {Shapes.Format(SampleShape)}. " +
                    "The file is truncated: restore the complete file (a run with TrainerOptions.CheckpointPath then resumes from its last checkpoint).",
                    Name,
                    complete);
            }

            yield return Decode(bytes, firstRow, rows, pool);
        }
    }

    private SampleBlock Decode(byte[] bytes, long firstRow, int rows, BlockPool pool)
    {
        var values = pool.Rent(rows * FeatureCount);
        var span = values.AsSpan(0, rows * FeatureCount);
        IdxFormat.Decode(header.Type, bytes.AsSpan(0, rows * rowBytes), span);
        if (divideBy != 1)
        {
            var divisor = new Vector<float>(divideBy);
            var i = 0;
            for (; i <= span.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(span[i..]) / divisor).CopyTo(span[i..]);
            }

            for (; i < span.Length; i++)
            {
                span[i] /= divideBy;
            }
        }

        return new SampleBlock(firstRow, rows, values);
    }

    /// <summary>Throws when a raw file is not exactly as long as its header says, naming the first sample it lacks.</summary>
    private void CheckLength(long length, long firstRow)
    {
        var expected = header.Length + header.DataLength;
        if (length == expected)
        {
            return;
        }

        var count = header.Dimensions[0];
        if (length > expected)
        {
            throw new DataSourceException(
                $"The {Name} has {length - expected} bytes after the data its header declares ({count} samples of {Shapes.Format(SampleShape)}, {expected} bytes in all). " +
                "The header or the file is wrong: rewrite the file with the right dimensions.",
                Name);
        }

        var complete = Math.Max(0, (length - header.Length) / rowBytes);
        throw new DataSourceException(
            $"The {Name} ends early: it holds {length} bytes, so sample {complete} (byte {header.Length + (complete * rowBytes)} on) is missing or incomplete, " +
            $"but the header declares {count} samples of {Shapes.Format(SampleShape)} ({expected} bytes). " +
            (firstRow > 0 || length > header.Length
                ? "It was truncated, perhaps while being read: restore the complete file (a run with TrainerOptions.CheckpointPath then resumes from its last checkpoint)."
                : "Restore the complete file."),
            Name,
            complete);
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }
}
