using Autoencoders.Data.Streaming;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Data;

/// <summary>
/// Samples in batches: what the trainer trains on and what the model's array methods, the anomaly detector
/// and the reducer run over. <see cref="InMemoryDataset"/> holds them in one tensor; the sources made by
/// <see cref="FromIdx"/>, <see cref="FromCsv(string, bool?, char?, StreamingOptions?)"/>,
/// <see cref="FromParquet"/>, <see cref="FromEnumerable"/> and <see cref="FromAsyncEnumerable"/> stream
/// them a chunk at a time and never hold the whole file.
/// </summary>
/// <remarks>
/// <para>Every source has a sample shape, a count when it is known (<see cref="TryGetCount"/>), seeded
/// batches for each epoch (<see cref="Batches"/>), a seeded validation split (<see cref="Split"/>) and
/// one-pass statistics for the scalers (<see cref="ComputeStatistics"/>).</para>
/// <para><b>Streams.</b> A streaming source reads a chunk of samples at a time on a background thread, a
/// few chunks ahead of the consumer. Shuffling permutes the order of the chunks where the file allows
/// random access (raw IDX files, Parquet row groups) and then mixes samples in a seeded shuffle buffer
/// (<see cref="StreamingOptions"/>); the same seed and source give the same batches, bit for bit. A
/// stream must yield the same samples in the same order on every pass (each epoch reads it again).
/// Every value is checked as it is read: a value that is not a finite number, a truncated file, an
/// unparsable cell or an enumerable that throws raises a <see cref="DataSourceException"/> naming the
/// file, the row and the column. A stream's <see cref="Split"/> needs its count: a source that does not
/// declare one (CSV, enumerables) is read once to count it, and that same pass computes
/// <see cref="ComputeStatistics"/>, so a split and a fitted scaler cost one pass between them.</para>
/// <para>The trainer and the façades give identical results for the same samples and seed whatever
/// the source, whenever the samples arrive in the same order (no shuffling, or a stream in the order
/// of the in-memory permutation); in-memory and streamed scalers agree to the last float32 bit except
/// when a float64 mean or deviation lies within about 1e-16 of a float32 rounding boundary.</para>
/// <example>
/// <code>
/// using var images = DataSource.FromIdx("train-images-idx3-ubyte", divideBy: 255);  // samples [1, 28, 28], streamed
/// using var model = AutoencoderSpec.Dense([1, 28, 28], 32, [512, 128], output: OutputActivation.Sigmoid).Build(seed: 1);
/// new Trainer(new TrainerOptions { Epochs = 1 }).Fit(model, images);
///
/// using var table = DataSource.FromParquet("sensors.parquet", columns: ["temperature", "pressure", "flow"]);
/// using var detector = AnomalyDetector.Fit(table);                                  // one pass fits the scaler
/// </code>
/// </example>
/// </remarks>
public abstract class DataSource : IDisposable
{
    private readonly long[] sampleShape;
    private readonly Lock statisticsGate = new();
    private DataStatistics? statistics;

    /// <summary>Only the library's own sources derive from this class.</summary>
    private protected DataSource(long[] sampleShape, IReadOnlyList<string>? featureNames)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        this.sampleShape = (long[])sampleShape.Clone();
        FeatureCount = checked((int)Shapes.Product(sampleShape));
        FeatureNames = featureNames;
    }

    /// <summary>The shape of one sample, e.g. [784] for rows or [1, 28, 28] for images. Returns a copy.</summary>
    public long[] SampleShape => (long[])sampleShape.Clone();

    /// <summary>The number of features in one sample: the product of <see cref="SampleShape"/>.</summary>
    public int FeatureCount { get; }

    /// <summary>The names of the features (a CSV header, Parquet columns), or null when the source has none.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>What the source is, in one line: its kind, file, sample shape and count when known.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Gets the number of samples when it is known without reading the source: always for data in memory,
    /// raw and gzip IDX files (their header) and Parquet files (their metadata); for CSV files and
    /// enumerables once a pass has read them to the end.
    /// </summary>
    /// <param name="count">The number of samples, or 0 when unknown.</param>
    /// <returns>Whether the count is known.</returns>
    public bool TryGetCount(out long count)
    {
        var known = KnownCount;
        count = known ?? 0;
        return known.HasValue;
    }

    /// <summary>
    /// Enumerates the samples in mini-batches of shape [B, ...SampleShape], B ≤ <paramref name="batchSize"/>;
    /// the last batch holds the remainder. Each enumeration is one epoch and visits every sample exactly once.
    /// </summary>
    /// <remarks>
    /// Each yielded tensor is a fresh float32 CPU tensor created in the caller's current dispose scope: the
    /// caller owns it (wrap each step in <c>torch.NewDisposeScope()</c>). In memory, shuffling is one
    /// <c>randperm</c> per epoch; a stream permutes its chunks where it can and mixes samples in its
    /// shuffle buffer, both drawn from <paramref name="generator"/>.
    /// </remarks>
    /// <param name="batchSize">The maximum number of samples per batch (≥ 1).</param>
    /// <param name="shuffle">Whether to visit the samples in a random order.</param>
    /// <param name="generator">
    /// The random generator for shuffling; the same seed gives the same order. <see langword="null"/> uses
    /// TorchSharp's global generator.
    /// </param>
    /// <returns>A lazily evaluated sequence of batches.</returns>
    /// <exception cref="DataSourceException">A streamed sample could not be read or is not finite.</exception>
    public IEnumerable<Tensor> Batches(int batchSize, bool shuffle, torch.Generator? generator = null)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return BatchesCore(batchSize, shuffle, generator);
    }

    /// <summary>
    /// Splits the samples at random into a training part and a validation part, each in the source's order.
    /// The validation part holds round(N × fraction) samples, at least one and at most N − 1. The split is
    /// the same for the same count and seed whatever the source: a stream and an in-memory dataset of the
    /// same samples split alike.
    /// </summary>
    /// <remarks>
    /// In memory the parts are copies. A stream's parts are views that read the source and skip the other
    /// part's samples (one bit per sample marks the split); a stream without a declared count is read once
    /// first to count it (see <see cref="ComputeStatistics"/>).
    /// </remarks>
    /// <param name="validationFraction">The share of samples for validation, strictly between 0 and 1.</param>
    /// <param name="seed">The seed of the random split.</param>
    /// <returns>The two parts; the caller disposes them.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1).</exception>
    /// <exception cref="InvalidOperationException">The source has fewer than two samples.</exception>
    public (DataSource Train, DataSource Validation) Split(double validationFraction, long seed)
    {
        ThrowIfDisposed();
        RandomSplit.ThrowIfInvalidFraction(validationFraction);
        return SplitCore(validationFraction, seed);
    }

    /// <summary>
    /// The count, per-feature mean and variance (Welford's algorithm in float64 for streams) and per-feature
    /// minimum and maximum of the samples, from one pass over the source. The first call reads the source;
    /// later calls return the same result.
    /// </summary>
    /// <param name="cancellationToken">Stops the pass between two chunks.</param>
    /// <returns>The statistics the scalers and the façades' automatic choices are made from.</returns>
    /// <exception cref="DataSourceException">A streamed sample could not be read or is not finite.</exception>
    public DataStatistics ComputeStatistics(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        lock (statisticsGate)
        {
            return statistics ??= StatisticsCore(cancellationToken);
        }
    }

    /// <summary>Releases what the source holds (an in-memory dataset's tensors). Safe to call more than once.</summary>
    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Streams an IDX file (the format of MNIST and Fashion-MNIST), raw or gzip-compressed (detected from its
    /// first bytes). The first dimension counts the samples; a sample of a three-dimensional file [N, H, W] is
    /// an image [1, H, W], otherwise the remaining dimensions are its shape. A raw file is read by random
    /// access, so shuffling also permutes the order of its chunks; a gzip file is read front to back.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="divideBy">Every value is divided by this (in float32), e.g. 255 to bring image bytes to [0, 1] exactly as <see cref="FashionMnist.Load"/> does.</param>
    /// <param name="options">Chunk and shuffle-buffer sizes; the defaults when null.</param>
    /// <returns>A streaming source; the header is read and checked now, the data on each pass.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataSourceException">The header is invalid or the file's length does not match it.</exception>
    public static DataSource FromIdx(string path, float divideBy = 1, StreamingOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!float.IsFinite(divideBy) || divideBy == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(divideBy), divideBy, "The divisor must be a finite number other than 0.");
        }

        return IdxSource.Open(path, divideBy, options ?? StreamingOptions.Default);
    }

    /// <summary>
    /// Streams a numeric CSV file with the rules of <see cref="CsvReader"/>: an optional header, <c>,</c> or
    /// <c>;</c> between cells, numbers in the invariant culture. Each row is one sample of shape [columns].
    /// The file is read front to back on each pass; its count is known after the first.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="hasHeader">Whether the first line holds column names; detected when null.</param>
    /// <param name="separator">The cell separator (<c>,</c> or <c>;</c>); detected when null.</param>
    /// <param name="options">Chunk and shuffle-buffer sizes; the defaults when null.</param>
    /// <returns>A streaming source; the first line is read now, the rows on each pass.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataSourceException">The file is empty.</exception>
    public static DataSource FromCsv(string path, bool? hasHeader = null, char? separator = null, StreamingOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The CSV file '{path}' does not exist.", path);
        }

        return CsvSource.Open(() => new StreamReader(path), $"CSV file '{path}'", hasHeader, separator, options ?? StreamingOptions.Default);
    }

    /// <summary>
    /// Streams numeric CSV text that <paramref name="open"/> produces afresh for each pass (a file in an
    /// archive, a network response, generated text), with the rules of <see cref="CsvReader"/>.
    /// </summary>
    /// <param name="open">Opens the text from its start; the source disposes each reader it gets.</param>
    /// <param name="name">What to call the text in messages, e.g. "CSV entry 'day1.csv' of 'logs.zip'".</param>
    /// <param name="hasHeader">Whether the first line holds column names; detected when null.</param>
    /// <param name="separator">The cell separator (<c>,</c> or <c>;</c>); detected when null.</param>
    /// <param name="options">Chunk and shuffle-buffer sizes; the defaults when null.</param>
    /// <returns>A streaming source; the first line is read now, the rows on each pass.</returns>
    /// <exception cref="DataSourceException">The text is empty.</exception>
    public static DataSource FromCsv(Func<TextReader> open, string name, bool? hasHeader = null, char? separator = null, StreamingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return CsvSource.Open(open, name, hasHeader, separator, options ?? StreamingOptions.Default);
    }

    /// <summary>
    /// Streams numeric columns of a Parquet file (read by Parquet.Net, fully managed), one row group at a
    /// time; shuffling also permutes the order of the row groups. Each row is one sample of shape [columns].
    /// Columns of float, double and integer types are read (as float32); any other type, a repeated column
    /// or a null value is refused with the column's name (and the row's index).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">The columns to read, in this order; every top-level column when null.</param>
    /// <param name="options">Shuffle-buffer size (chunks are the file's row groups); the defaults when null.</param>
    /// <returns>A streaming source; the schema and row counts are read and checked now, the values on each pass.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataSourceException">The file is not Parquet, a column is missing, or is not numeric.</exception>
    public static DataSource FromParquet(string path, IReadOnlyList<string>? columns = null, StreamingOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ParquetSource.Open(path, columns, options ?? StreamingOptions.Default);
    }

    /// <summary>
    /// Streams the rows an enumerable yields, e.g. an iterator method of yours that reads a database or
    /// generates data. It is enumerated afresh for each pass, on a background thread, and must yield the
    /// same rows in the same order every time.
    /// </summary>
    /// <param name="rows">The samples, one flattened float array each (the source copies them; you may reuse an array).</param>
    /// <param name="sampleShape">The shape of one sample, e.g. [16] or [1, 28, 28]; every row must hold its product of values.</param>
    /// <param name="options">Chunk and shuffle-buffer sizes; the defaults when null.</param>
    /// <returns>A streaming source.</returns>
    public static DataSource FromEnumerable(IEnumerable<float[]> rows, long[] sampleShape, StreamingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new EnumerableSource(rows, CheckedShape(sampleShape), options ?? StreamingOptions.Default);
    }

    /// <summary>
    /// Streams the rows an asynchronous enumerable yields (a network feed, an async database reader). It is
    /// enumerated afresh for each pass, on a background thread, and must yield the same rows in the same
    /// order every time.
    /// </summary>
    /// <param name="rows">The samples, one flattened float array each (the source copies them; you may reuse an array).</param>
    /// <param name="sampleShape">The shape of one sample; every row must hold its product of values.</param>
    /// <param name="options">Chunk and shuffle-buffer sizes; the defaults when null.</param>
    /// <returns>A streaming source.</returns>
    public static DataSource FromAsyncEnumerable(IAsyncEnumerable<float[]> rows, long[] sampleShape, StreamingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new EnumerableSource(rows, CheckedShape(sampleShape), options ?? StreamingOptions.Default);
    }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    private protected bool IsDisposed { get; private set; }

    /// <summary>The count when known without a pass (see <see cref="TryGetCount"/>).</summary>
    private protected abstract long? KnownCount { get; }

    /// <summary>The count a checkpoint's fingerprint names: only one the source declares, never one a pass has learned.</summary>
    internal virtual long? DeclaredCount => KnownCount;

    /// <summary>The batches of one epoch (arguments already checked).</summary>
    private protected abstract IEnumerable<Tensor> BatchesCore(int batchSize, bool shuffle, torch.Generator? generator);

    /// <summary>The two parts of a split (the fraction already checked).</summary>
    private protected abstract (DataSource Train, DataSource Validation) SplitCore(double validationFraction, long seed);

    /// <summary>One pass of statistics; the caller caches the result.</summary>
    private protected abstract DataStatistics StatisticsCore(CancellationToken cancellationToken);

    /// <summary>Releases what the source holds.</summary>
    private protected virtual void DisposeCore()
    {
    }

    /// <summary>
    /// The samples in their stored order, in batches of at most <paramref name="batchSize"/>, for inference:
    /// views of the tensor in memory, fresh tensors from a stream.
    /// </summary>
    internal virtual IEnumerable<Tensor> InOrder(int batchSize) => Batches(batchSize, shuffle: false);

    private protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private static long[] CheckedShape(long[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (sampleShape.Length == 0 || sampleShape.Any(d => d < 1) || sampleShape.Aggregate(1.0, (p, d) => p * d) > int.MaxValue)
        {
            throw new ArgumentException(
                $"The sample shape {Shapes.Format(sampleShape)} is invalid: it needs at least one dimension, each ≥ 1, and at most {int.MaxValue} values in all.",
                nameof(sampleShape));
        }

        return sampleShape;
    }
}
