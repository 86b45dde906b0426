using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Data;

/// <summary>
/// A <see cref="DataSource"/> held in memory as one contiguous float32 CPU tensor of shape [N, ...sampleShape],
/// with optional int64 class labels of shape [N].
/// </summary>
/// <remarks>
/// <para>Every dataset is validated on creation: it has at least one sample and one feature, and
/// every value is finite. The dataset owns its tensors; dispose it when you are done. To bring a stream
/// into memory, use <see cref="FromSource"/>.</para>
/// <example>
/// <code>
/// using var data = InMemoryDataset.FromArray(new float[,] { { 0f, 1f }, { 2f, 3f }, { 4f, 5f } });
/// var (train, validation) = data.Split(validationFraction: 0.3, seed: 42);
/// using var generator = new torch.Generator(42);
/// foreach (var batch in train.Batches(batchSize: 2, shuffle: true, generator))
/// {
///     // batch is a float32 tensor [≤2, 2] in the caller's current dispose scope
/// }
/// </code>
/// </example>
/// </remarks>
public sealed class InMemoryDataset : DataSource
{
    private readonly Tensor _features;
    private readonly Tensor? _labels;

    /// <summary>Takes ownership of already validated, contiguous CPU tensors.</summary>
    private InMemoryDataset(Tensor features, Tensor? labels)
        : base(features.shape[1..], featureNames: null)
    {
        _features = features.DetachFromDisposeScope();
        _labels = labels?.DetachFromDisposeScope();
        Count = checked((int)features.shape[0]);
    }

    /// <summary>The number of samples N.</summary>
    public int Count { get; }

    /// <inheritdoc />
    public override string Description => $"in memory, {Count:N0} samples of {Shapes.Format(SampleShape)}";

    /// <summary>
    /// All samples as one float32 CPU tensor of shape [N, ...SampleShape]. The tensor belongs to the
    /// dataset: do not dispose or modify it.
    /// </summary>
    public Tensor Features
    {
        get
        {
            ThrowIfDisposed();
            return _features;
        }
    }

    /// <summary>
    /// The int64 labels of shape [N], or <see langword="null"/> for unlabelled data. The tensor belongs
    /// to the dataset: do not dispose or modify it.
    /// </summary>
    public Tensor? Labels
    {
        get
        {
            ThrowIfDisposed();
            return _labels;
        }
    }

    /// <summary>Creates a dataset from a rectangular array, one sample per row (the data is copied).</summary>
    /// <param name="rows">The samples, shape [N, features].</param>
    /// <param name="sampleShape">
    /// Optional shape to view each row as, e.g. [1, 28, 28]; its product must equal the number of columns.
    /// Defaults to [features].
    /// </param>
    /// <returns>A new dataset that owns a copy of the data.</returns>
    /// <exception cref="ArgumentException">The array is empty, contains NaN/∞, or the sample shape does not fit.</exception>
    public static InMemoryDataset FromArray(float[,] rows, long[]? sampleShape = null)
    {
        TorchRuntime.EnsureAvailable();
        ArgumentNullException.ThrowIfNull(rows);
        int n = rows.GetLength(0), f = rows.GetLength(1);
        RequireNonEmpty(n, f, nameof(rows));
        var shape = ResolveSampleShape(sampleShape, f);
        var flat = new float[checked(n * f)];
        MemoryMarshal.CreateReadOnlySpan(
            ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(rows)), flat.Length).CopyTo(flat);
        return FromFlat(flat, n, shape, nameof(rows));
    }

    /// <summary>Creates a dataset from a jagged array, one sample per row (the data is copied).</summary>
    /// <param name="rows">The samples; every row must have the same, non-zero length.</param>
    /// <param name="sampleShape">
    /// Optional shape to view each row as, e.g. [1, 28, 28]; its product must equal the row length.
    /// Defaults to [features].
    /// </param>
    /// <returns>A new dataset that owns a copy of the data.</returns>
    /// <exception cref="ArgumentException">
    /// The rows are empty or of unequal length, contain NaN/∞, or the sample shape does not fit.
    /// </exception>
    public static InMemoryDataset FromRows(float[][] rows, long[]? sampleShape = null)
    {
        TorchRuntime.EnsureAvailable();
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0)
        {
            RequireNonEmpty(0, 0, nameof(rows));
        }

        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null)
            {
                throw new ArgumentException($"Row {i} is null; every row must be a float array.", nameof(rows));
            }
        }

        int n = rows.Length, f = rows[0].Length;
        for (int i = 1; i < n; i++)
        {
            if (rows[i].Length != f)
            {
                throw new ArgumentException(
                    $"Row {i} has {rows[i].Length} features but row 0 has {f}; all rows must have the same length.",
                    nameof(rows));
            }
        }

        RequireNonEmpty(n, f, nameof(rows));
        var shape = ResolveSampleShape(sampleShape, f);
        var flat = new float[checked(n * f)];
        for (int i = 0; i < n; i++)
        {
            rows[i].CopyTo(flat, i * f);
        }

        return FromFlat(flat, n, shape, nameof(rows));
    }

    /// <summary>
    /// Creates a dataset from a tensor of shape [N, ...sampleShape] (at least two dimensions). The data is
    /// copied, converted to float32 on the CPU, made contiguous and detached from autograd.
    /// </summary>
    /// <param name="features">The samples along the first dimension.</param>
    /// <param name="labels">Optional integer class labels of shape [N]; copied as int64.</param>
    /// <returns>A new dataset that owns copies of the tensors.</returns>
    /// <exception cref="ArgumentException">
    /// Wrong rank, empty, non-finite values, or labels of the wrong type or length.
    /// </exception>
    public static InMemoryDataset FromTensor(Tensor features, Tensor? labels = null)
    {
        TorchRuntime.EnsureAvailable();
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() < 2)
        {
            throw new ArgumentException(
                $"Features must have shape [N, ...sampleShape] (at least 2 dimensions) but have shape [{string.Join(", ", features.shape)}]; " +
                "for a single feature per sample use features.unsqueeze(1).",
                nameof(features));
        }

        long n = features.shape[0];
        long f = Shapes.Product(features.shape[1..]);
        RequireNonEmpty(n, f, nameof(features));
        if (n > int.MaxValue || f > int.MaxValue)
        {
            throw new ArgumentException($"At most {int.MaxValue} samples and features per sample are supported; got {n} × {f}.", nameof(features));
        }

        using var scope = NewDisposeScope();
        var copy = features.detach().to(ScalarType.Float32, CPU).contiguous().clone();
        Tensor? labelCopy = null;
        if (labels is not null)
        {
            if (labels.dim() != 1 || labels.shape[0] != n)
            {
                throw new ArgumentException(
                    $"Labels must have shape [{n}] (one per sample) but have shape [{string.Join(", ", labels.shape)}].",
                    nameof(labels));
            }

            if (labels.dtype is not (ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64))
            {
                throw new ArgumentException($"Labels must be an integer tensor but are {labels.dtype}.", nameof(labels));
            }

            labelCopy = labels.detach().to(ScalarType.Int64, CPU).contiguous().clone();
        }

        InputValidator.ThrowIfNotFinite(copy, nameof(features));
        return new InMemoryDataset(copy, labelCopy);
    }

    /// <summary>
    /// Creates a dataset that takes ownership of a float32 CPU tensor (and optional int64 labels) after
    /// validating it. Used by readers that have just built the tensor themselves.
    /// </summary>
    internal static InMemoryDataset Own(Tensor features, Tensor? labels, string source)
    {
        if (features.dtype != ScalarType.Float32 || features.device_type != DeviceType.CPU || !features.is_contiguous() || features.dim() < 2)
        {
            throw new ArgumentException("Internal: Own expects a contiguous float32 CPU tensor of rank ≥ 2.", nameof(features));
        }

        RequireNonEmpty(features.shape[0], Shapes.Product(features.shape[1..]), source);
        InputValidator.ThrowIfNotFinite(features, source);
        return new InMemoryDataset(features, labels);
    }

    /// <summary>
    /// Loads every sample of a source into memory (a stream is read once, front to back): to train on a
    /// file that fits in memory as fast as possible, or to use what needs random access.
    /// </summary>
    /// <param name="source">The samples; an in-memory dataset is copied (without its labels).</param>
    /// <param name="cancellationToken">Stops reading between two chunks.</param>
    /// <returns>A new dataset of the same samples in the source's order; the caller disposes it.</returns>
    /// <exception cref="DataSourceException">A streamed sample could not be read or is not finite.</exception>
    public static InMemoryDataset FromSource(DataSource source, CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureAvailable();
        ArgumentNullException.ThrowIfNull(source);
        using var scope = NewDisposeScope();
        var batches = new List<Tensor>();
        foreach (var batch in source.Batches(65_536, shuffle: false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            batches.Add(batch);
        }

        if (batches.Count == 0)
        {
            RequireNonEmpty(0, source.FeatureCount, nameof(source));
        }

        var features = batches.Count == 1 ? batches[0] : cat(batches, 0);
        if (features.shape[0] > int.MaxValue)
        {
            throw new ArgumentException($"At most {int.MaxValue} samples fit in one dataset; the source holds {features.shape[0]}.", nameof(source));
        }

        return new InMemoryDataset(features, null);
    }

    private protected override long? KnownCount => Count;

    /// <summary>
    /// Gathers each batch with <c>index_select</c> over one index tensor per epoch (a <c>randperm</c> when
    /// shuffling): a fresh copy in the caller's dispose scope.
    /// </summary>
    private protected override IEnumerable<Tensor> BatchesCore(int batchSize, bool shuffle, torch.Generator? generator)
    {
        ThrowIfDisposed();
        Tensor order = (shuffle ? randperm(Count, generator: generator) : TensorMath.Arange(Count))
            .DetachFromDisposeScope();
        try
        {
            for (long start = 0; start < Count; start += batchSize)
            {
                ThrowIfDisposed();
                long length = Math.Min(batchSize, Count - start);
                Tensor batch;
                using (var index = order.narrow(0, start, length))
                {
                    batch = _features.index_select(0, index);
                }

                yield return batch;
            }
        }
        finally
        {
            order.Dispose();
        }
    }

    /// <summary>
    /// Splits the samples at random into a training and a validation dataset (copies, labels kept, each in
    /// its original order). The validation part holds round(N × fraction) samples, at least one and at most
    /// N − 1, so both parts are non-empty; a stream of the same samples splits alike (see <see cref="DataSource.Split"/>).
    /// </summary>
    /// <param name="validationFraction">The share of samples for validation, strictly between 0 and 1.</param>
    /// <param name="seed">The seed of the random split; the same seed gives the same split.</param>
    /// <returns>The two new datasets; the caller disposes them.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1).</exception>
    /// <exception cref="InvalidOperationException">The dataset has fewer than two samples.</exception>
    public new (InMemoryDataset Train, InMemoryDataset Validation) Split(double validationFraction, long seed)
    {
        ThrowIfDisposed();
        RandomSplit.ThrowIfInvalidFraction(validationFraction);
        var validationCount = RandomSplit.ValidationCount(Count, validationFraction);
        using var scope = NewDisposeScope();
        var order = RandomSplit.Permutation(Count, seed);
        var validationIndex = order.narrow(0, 0, validationCount).sort().Values;
        var trainIndex = order.narrow(0, validationCount, Count - validationCount).sort().Values;
        var train = Select(trainIndex);
        try
        {
            return (train, Select(validationIndex));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>Returns a new dataset holding a copy of the first <paramref name="count"/> samples (labels kept).</summary>
    /// <param name="count">How many samples to take, 1 ≤ count ≤ <see cref="Count"/>.</param>
    /// <returns>A new dataset; the caller disposes it.</returns>
    public InMemoryDataset Take(int count)
    {
        ThrowIfDisposed();
        if (count < 1 || count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Take needs a count between 1 and the dataset's {Count} samples.");
        }

        using var scope = NewDisposeScope();
        var features = _features.narrow(0, 0, count).clone();
        var labels = _labels?.narrow(0, 0, count).clone();
        return new InMemoryDataset(features, labels);
    }

    /// <summary>Copies the samples into a new array of shape [N, FeatureCount] (each sample flattened).</summary>
    /// <returns>The samples as rows.</returns>
    public float[,] ToArray()
    {
        ThrowIfDisposed();
        var result = new float[Count, FeatureCount];
        var flat = _features.data<float>().ToArray();
        flat.CopyTo(MemoryMarshal.CreateSpan(
            ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length));
        return result;
    }

    private protected override (DataSource Train, DataSource Validation) SplitCore(double validationFraction, long seed) =>
        Split(validationFraction, seed);

    /// <summary>libtorch's float64 reductions in two passes (mean, then mean squared deviation), as the scalers always computed them.</summary>
    private protected override DataStatistics StatisticsCore(CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var x = _features.reshape(Count, FeatureCount).to_type(ScalarType.Float64);
        var minimum = x.amin([0L]).data<double>().ToArray();
        var maximum = x.amax([0L]).data<double>().ToArray();
        var mean = x.mean([0L]);
        var variance = x.sub_(mean).SquareInPlace().mean([0L]); // in place: one float64 copy of the data at a time
        return new DataStatistics(Count, mean.data<double>().ToArray(), variance.data<double>().ToArray(), minimum, maximum);
    }

    /// <summary>Views of the tensor, [B, ...SampleShape], that the caller must not modify.</summary>
    internal override IEnumerable<Tensor> InOrder(int batchSize)
    {
        ThrowIfDisposed();
        for (var start = 0; start < Count; start += batchSize)
        {
            yield return _features.narrow(0, start, Math.Min(batchSize, Count - start));
        }
    }

    /// <summary>Releases the native tensors.</summary>
    private protected override void DisposeCore()
    {
        _features.Dispose();
        _labels?.Dispose();
    }

    /// <summary>A new dataset of the samples at <paramref name="index"/> (int64 [K]); labels kept.</summary>
    private InMemoryDataset Select(Tensor index)
    {
        using var scope = NewDisposeScope();
        var features = _features.index_select(0, index);
        var labels = _labels?.index_select(0, index);
        return new InMemoryDataset(features, labels);
    }

    private static InMemoryDataset FromFlat(float[] flat, int n, long[] sampleShape, string paramName)
    {
        using var scope = NewDisposeScope();
        var features = TensorCopy.Of(flat, [n, .. sampleShape]);
        InputValidator.ThrowIfNotFinite(features, paramName);
        return new InMemoryDataset(features, null);
    }

    private static void RequireNonEmpty(long n, long features, string paramName)
    {
        if (n < 1 || features < 1)
        {
            throw new ArgumentException(
                $"A dataset needs at least one sample and one feature per sample; got {n} sample(s) × {features} feature(s).",
                paramName);
        }
    }

    private static long[] ResolveSampleShape(long[]? sampleShape, int featureCount)
    {
        if (sampleShape is null)
        {
            return [featureCount];
        }

        if (sampleShape.Length == 0 || sampleShape.Any(d => d < 1) || Shapes.Product(sampleShape) != featureCount)
        {
            throw new ArgumentException(
                $"The sample shape [{string.Join(", ", sampleShape)}] does not fit rows of {featureCount} features: " +
                "every dimension must be ≥ 1 and their product must equal the row length.",
                nameof(sampleShape));
        }

        return (long[])sampleShape.Clone();
    }
}
