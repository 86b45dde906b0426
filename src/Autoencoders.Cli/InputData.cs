using System.Globalization;
using System.IO.Compression;
using Autoencoders.Data;

namespace Autoencoders.Cli;

/// <summary>
/// Samples from a CSV or IDX file, loaded into memory or streamed from disk (<see cref="StreamingMode"/>),
/// with the shape of one sample and feature names.
/// </summary>
internal sealed class InputData : IDisposable
{
    /// <summary>Files larger than this are streamed by <see cref="StreamingMode.Auto"/>.</summary>
    public const long AutoStreamingBytes = 1L << 30;

    private InputData(string path, DataSource source, bool streamed, IReadOnlyList<string> featureNames, string description)
    {
        Path = path;
        Source = source;
        Streamed = streamed;
        SampleShape = source.SampleShape.Select(d => checked((int)d)).ToArray();
        FeatureNames = featureNames;
        Description = description;
    }

    /// <summary>The file the samples come from.</summary>
    public string Path { get; }

    /// <summary>The samples: an <see cref="InMemoryDataset"/>, or a stream when <see cref="Streamed"/>.</summary>
    public DataSource Source { get; }

    /// <summary>Whether the samples are streamed from disk rather than held in memory.</summary>
    public bool Streamed { get; }

    /// <summary>The shape of one sample: [features] for tables, [channels, height, width] for images.</summary>
    public int[] SampleShape { get; }

    /// <summary>One name per feature (a CSV header, or generated).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>How the file was read, for the log.</summary>
    public string Description { get; }

    /// <summary>The number of values per sample.</summary>
    public int FeatureCount => Source.FeatureCount;

    /// <summary>Whether every value lies in [0, 1] (one pass over a stream, kept for the scaler).</summary>
    public bool IsUnitInterval => Source.ComputeStatistics().IsUnitInterval;

    /// <summary>
    /// Opens a file: <c>.csv</c> (or any text) as a numeric CSV with an optional header; IDX files (raw or
    /// gzip, recognised by content) as arrays whose first dimension counts the samples. Unsigned-byte IDX data
    /// (images) is divided by 255. The file is streamed or loaded as <paramref name="mode"/> says.
    /// </summary>
    public static InputData Read(string path, StreamingMode mode = StreamingMode.Never)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The data file '{path}' does not exist.");
        }

        var bytes = new FileInfo(path).Length;
        var stream = mode == StreamingMode.Always || (mode == StreamingMode.Auto && bytes > AutoStreamingBytes);
        var idxType = IdxElementTypeOf(path);
        var source = idxType is { } type
            ? DataSource.FromIdx(path, divideBy: type == IdxElementType.UnsignedByte ? 255 : 1)
            : DataSource.FromCsv(path);
        if (source.SampleShape.Length > 3)
        {
            throw new UsageException($"The IDX file '{path}' has samples of shape [{string.Join(", ", source.SampleShape)}]; rows, or images [channels, height, width], are supported.");
        }

        var names = source.FeatureNames ?? GeneratedNames(source.SampleShape);
        var how = stream
            ? $"streamed from disk, {Size(bytes)}{(mode == StreamingMode.Auto ? $", above the {Size(AutoStreamingBytes)} of --streaming auto" : string.Empty)}: memory stays bounded"
            : $"loaded into memory, {Size(bytes)}";
        if (!stream)
        {
            var file = source;
            using (file)
            {
                source = InMemoryDataset.FromSource(file);
            }
        }

        var count = source.TryGetCount(out var n) ? n.ToString("N0", CultureInfo.InvariantCulture) : null;
        var what = idxType is { } t
            ? $"IDX {t}, {count} samples of shape [{string.Join(", ", source.SampleShape)}]{(t == IdxElementType.UnsignedByte ? ", bytes divided by 255" : string.Empty)}"
            : $"CSV, {(count is null ? "rows counted on the first pass" : $"{count} rows")} × {source.FeatureCount} columns ({string.Join(", ", names.Take(6))}{(names.Count > 6 ? ", …" : string.Empty)})";
        return new InputData(path, source, stream, names, $"{what}; {how}");
    }

    public void Dispose() => Source.Dispose();

    /// <summary>The element type of an IDX file (raw or gzip), or null for anything else.</summary>
    private static IdxElementType? IdxElementTypeOf(string path)
    {
        Span<byte> head = stackalloc byte[3];
        using var file = File.OpenRead(path);
        var read = file.ReadAtLeast(head, 3, throwOnEndOfStream: false);
        if (read >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            file.Position = 0;
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            read = gzip.ReadAtLeast(head, 3, throwOnEndOfStream: false);
        }

        return read == 3 && head[0] == 0 && head[1] == 0 && Enum.IsDefined((IdxElementType)head[2]) ? (IdxElementType)head[2] : null;
    }

    private static string[] GeneratedNames(long[] shape) =>
        Enumerable.Range(0, (int)shape.Aggregate(1L, (p, d) => p * d)).Select(j => shape.Length == 3 ? PixelName(j, shape) : $"x{j + 1}").ToArray();

    private static string PixelName(int index, long[] shape)
    {
        long plane = shape[1] * shape[2], c = index / plane, y = index % plane / shape[2], x = index % shape[2];
        return shape[0] == 1 ? $"pixel ({y}, {x})" : $"channel {c} pixel ({y}, {x})";
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
    };
}
