using static TorchSharp.torch;

namespace Autoencoders.Data.Streaming;

/// <summary>
/// One part of a stream's split: the root stream read as usual, keeping only the samples its mask marks.
/// A view of a view is again a mask over the root, so splits nest without stacking readers. Chunk
/// permutation and every check stay the root's.
/// </summary>
internal sealed class SubsetSource : StreamingSource
{
    private readonly StreamingSource root;
    private readonly RowMask keep;

    private SubsetSource(StreamingSource root, RowMask keep, long count, string part)
        : base($"{root.Name} ({part})", root.SampleShape, root.FeatureNames, root.Options, count)
    {
        this.root = root;
        this.keep = keep;
    }

    internal override int? ChunkCount => root.ChunkCount;

    private protected override bool IsView => true;

    /// <summary>Splits <paramref name="source"/> (a root or a view) as <see cref="RandomSplit"/> defines.</summary>
    public static (DataSource Train, DataSource Validation) Split(StreamingSource source, double validationFraction, long seed)
    {
        // A root that declares no count is read once; that pass also yields the statistics, kept for later.
        var count = source.TryGetCount(out var known) ? known : source.ComputeStatistics().Count;
        var validationCount = RandomSplit.ValidationCount(count, validationFraction);
        var inValidation = new RowMask(count);
        using (NewDisposeScope())
        {
            using var head = RandomSplit.Permutation(count, seed).narrow(0, 0, validationCount);
            foreach (var index in head.data<long>())
            {
                inValidation[index] = true;
            }
        }

        var (root, kept) = source is SubsetSource view ? (view.root, view.keep) : (source, null);
        var train = new RowMask(root.TryGetCount(out var rootCount) ? rootCount : count);
        var validation = new RowMask(train.Length);
        long local = 0;
        foreach (var row in kept?.Rows() ?? LongRange(count))
        {
            (inValidation[local++] ? validation : train)[row] = true;
        }

        return (
            new SubsetSource(root, train, count - validationCount, "training part"),
            new SubsetSource(root, validation, validationCount, "validation part"));
    }

    internal override string Position(long row, int feature) => root.Position(row, feature);

    private protected override IEnumerable<SampleBlock> ReadChunks(int[]? order, BlockPool pool, CancellationToken cancellationToken)
    {
        var width = FeatureCount;
        foreach (var block in root.ReadChecked(order, pool, cancellationToken))
        {
            // Compact the kept samples to the front of the block's own array.
            var kept = 0;
            for (var r = 0; r < block.Rows; r++)
            {
                if (keep[block.FirstRow + r])
                {
                    if (kept != r)
                    {
                        Array.Copy(block.Values, r * width, block.Values, kept * width, width);
                    }

                    kept++;
                }
            }

            if (kept > 0)
            {
                yield return new SampleBlock(-1, kept, block.Values);
            }
            else
            {
                pool.Return(block.Values);
            }
        }
    }

    private static IEnumerable<long> LongRange(long count)
    {
        for (long i = 0; i < count; i++)
        {
            yield return i;
        }
    }
}
