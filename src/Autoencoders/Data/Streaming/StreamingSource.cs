using System.Numerics;
using System.Runtime.InteropServices;
using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Data.Streaming;

/// <summary>
/// A source that reads its samples a chunk at a time and never holds them all: the shared machinery of
/// every stream (read-ahead, value checks, shuffling, batching, statistics, splits). A new kind of stream
/// derives from it and implements <see cref="ReadChunks"/> (and, when it can read any chunk on its own,
/// <see cref="ChunkCount"/>), plus <see cref="Position"/> to name a value's place in its own terms.
/// <see cref="EnumerableSource"/> is the smallest example; <see cref="IdxSource"/> one with random access.
/// </summary>
internal abstract class StreamingSource : DataSource
{
    private readonly long? declaredCount;
    private long? learnedCount;

    private protected StreamingSource(string name, long[] sampleShape, IReadOnlyList<string>? featureNames, StreamingOptions options, long? declaredCount)
        : base(sampleShape, featureNames)
    {
        Name = name;
        Options = options;
        ChunkRows = options.ChunkRows(FeatureCount);
        ShuffleRows = options.ShuffleRows(FeatureCount);
        this.declaredCount = declaredCount;
    }

    /// <summary>What to call the source in messages, e.g. "IDX file '/data/train.idx'".</summary>
    internal string Name { get; }

    internal StreamingOptions Options { get; }

    /// <summary>Samples per chunk (a random-access source's last chunk may hold fewer).</summary>
    internal int ChunkRows { get; }

    /// <summary>Samples the shuffle buffer holds.</summary>
    internal int ShuffleRows { get; }

    /// <summary>The number of chunks when any chunk can be read on its own; null for a source read front to back only.</summary>
    internal virtual int? ChunkCount => null;

    /// <inheritdoc />
    public override string Description =>
        $"{Name}{Detail}, {(KnownCount is long n ? $"{n:N0} samples" : "count unknown until read")} of {Shapes.Format(SampleShape)}, streamed" +
        (ChunkCount is not null ? " (random access: chunk order shuffled too)" : string.Empty);

    internal override long? DeclaredCount => declaredCount;

    /// <summary>What <see cref="Description"/> adds after the name, e.g. " (raw Single)".</summary>
    private protected virtual string Detail => string.Empty;

    private protected override long? KnownCount => declaredCount ?? learnedCount;

    /// <summary>Whether the blocks come from another source that has checked them already.</summary>
    private protected virtual bool IsView => false;

    /// <summary>
    /// Reads the samples chunk by chunk: every chunk in stored order when <paramref name="order"/> is null,
    /// else the chunks it lists (random-access sources only), renting each block's array from
    /// <paramref name="pool"/>. Problems it can place are thrown as <see cref="DataSourceException"/>s; the
    /// caller checks the values and places any other exception.
    /// </summary>
    private protected abstract IEnumerable<SampleBlock> ReadChunks(int[]? order, BlockPool pool, CancellationToken cancellationToken);

    /// <summary>Where feature <paramref name="feature"/> of sample <paramref name="row"/> is, in the source's own terms.</summary>
    internal virtual string Position(long row, int feature) => $"sample {row}, feature {feature}";

    /// <summary>The column a feature is in, for <see cref="DataSourceException.Column"/>.</summary>
    internal virtual string ColumnName(int feature) => FeatureNames is { } names ? names[feature] : $"feature {feature}";

    /// <summary>The blocks of <see cref="ReadChunks"/> with every value checked and every failure placed.</summary>
    internal IEnumerable<SampleBlock> ReadChecked(int[]? order, BlockPool pool, CancellationToken cancellationToken)
    {
        if (IsView)
        {
            return ReadChunks(order, pool, cancellationToken);
        }

        return Checked(ReadChunks(order, pool, cancellationToken));
    }

    /// <summary>Notes the count a complete pass found; a source that yields a different count than before is refused.</summary>
    internal void CompletedPass(long rows)
    {
        if (KnownCount is long known && known != rows)
        {
            throw new DataSourceException(
                $"The {Name} yielded {rows} samples on this pass but {(declaredCount is null ? "an earlier pass yielded" : "it declares")} {known}. " +
                "A source must yield the same samples on every pass: do not change the data while it is being used.",
                Name);
        }

        learnedCount = rows;
    }

    private protected override IEnumerable<Tensor> BatchesCore(int batchSize, bool shuffle, torch.Generator? generator)
    {
        TorchRuntime.EnsureAvailable();
        return StreamBatches(batchSize, shuffle, generator);
    }

    private protected override (DataSource Train, DataSource Validation) SplitCore(double validationFraction, long seed) =>
        SubsetSource.Split(this, validationFraction, seed);

    private protected override DataStatistics StatisticsCore(CancellationToken cancellationToken)
    {
        var statistics = new WelfordStatistics(FeatureCount);
        long rows = 0;
        using (var ahead = new ReadAhead((pool, token) => ReadChecked(null, pool, token)))
        {
            foreach (var block in ahead.Blocks())
            {
                cancellationToken.ThrowIfCancellationRequested();
                statistics.Add(block.Values, block.Rows);
                rows += block.Rows;
                ahead.Pool.Return(block.Values);
            }
        }

        CompletedPass(rows);
        return statistics.Result(Name);
    }

    private IEnumerable<Tensor> StreamBatches(int batchSize, bool shuffle, torch.Generator? generator)
    {
        // Both draws come from the caller's generator, so a checkpoint that saves it resumes the same epochs.
        int[]? order = null;
        ulong seed = 0;
        if (shuffle)
        {
            using var scope = NewDisposeScope();
            if (ChunkCount is > 1 and var chunks)
            {
                order = Array.ConvertAll(randperm(chunks, generator: generator).data<long>().ToArray(), i => (int)i);
            }

            seed = (ulong)randint(long.MaxValue, [1], generator: generator).item<long>();
        }

        var assembler = new BatchAssembler(batchSize, SampleShape, FeatureCount);
        var buffer = shuffle ? new ShuffleBuffer(ShuffleRows, FeatureCount, seed) : null;
        long rows = 0;
        using (var ahead = new ReadAhead((pool, token) => ReadChecked(order, pool, token)))
        {
            foreach (var block in ahead.Blocks())
            {
                rows += block.Rows;
                for (var r = 0; r < block.Rows;)
                {
                    if (buffer is null)
                    {
                        r += assembler.AddFrom(block.Values, r * FeatureCount, block.Rows - r);
                    }
                    else
                    {
                        if (buffer.Push(block.Values, r * FeatureCount, assembler.Buffer, assembler.NextOffset))
                        {
                            assembler.Added();
                        }

                        r++;
                    }

                    if (assembler.IsFull)
                    {
                        yield return assembler.Take();
                    }
                }

                ahead.Pool.Return(block.Values);
            }
        }

        while (buffer is not null && buffer.Pop(assembler.Buffer, assembler.NextOffset))
        {
            assembler.Added();
            if (assembler.IsFull)
            {
                yield return assembler.Take();
            }
        }

        if (assembler.Rows > 0)
        {
            yield return assembler.Take();
        }

        CompletedPass(rows);
    }

    private IEnumerable<SampleBlock> Checked(IEnumerable<SampleBlock> blocks)
    {
        using var enumerator = blocks.GetEnumerator();
        var after = "before the first sample";
        while (true)
        {
            SampleBlock block;
            try
            {
                if (!enumerator.MoveNext())
                {
                    yield break;
                }

                block = enumerator.Current;
            }
            catch (Exception e) when (e is not DataSourceException and not OperationCanceledException)
            {
                throw new DataSourceException($"The {Name} could not be read {after}: {e.Message}", Name, innerException: e);
            }

            ThrowIfNotFinite(block);
            after = $"after sample {block.FirstRow + block.Rows - 1}";
            yield return block;
        }
    }

    private void ThrowIfNotFinite(SampleBlock block)
    {
        var values = block.Values.AsSpan(0, block.Rows * FeatureCount);
        var bits = MemoryMarshal.Cast<float, uint>(values);
        var exponent = new Vector<uint>(0x7F80_0000u);
        var i = 0;
        for (; i <= bits.Length - Vector<uint>.Count; i += Vector<uint>.Count)
        {
            if (Vector.EqualsAny(new Vector<uint>(bits[i..]) & exponent, exponent))
            {
                break;
            }
        }

        for (; i < bits.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                var row = block.FirstRow + (i / FeatureCount);
                var feature = i % FeatureCount;
                var what = float.IsNaN(values[i]) ? "NaN" : values[i] > 0 ? "+Infinity" : "-Infinity";
                throw new DataSourceException(
                    $"The {Name}: {Position(row, feature)} is {what}. Every value must be a finite number: clean the data (drop or impute missing values) at that position.",
                    Name,
                    row,
                    ColumnName(feature));
            }
        }
    }
}
