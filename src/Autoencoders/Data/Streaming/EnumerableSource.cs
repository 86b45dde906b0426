namespace Autoencoders.Data.Streaming;

/// <summary>
/// Streams the rows of a user's <see cref="IEnumerable{T}"/> or <see cref="IAsyncEnumerable{T}"/>, enumerated
/// afresh on every pass. The smallest complete stream: it shows what a new source must do (read rows into
/// rented blocks, place every problem at its sample).
/// </summary>
internal sealed class EnumerableSource : StreamingSource
{
    private readonly IEnumerable<float[]>? rows;
    private readonly IAsyncEnumerable<float[]>? asyncRows;

    public EnumerableSource(IEnumerable<float[]> rows, long[] sampleShape, StreamingOptions options)
        : base("rows enumerable", sampleShape, featureNames: null, options, declaredCount: null)
    {
        this.rows = rows;
    }

    public EnumerableSource(IAsyncEnumerable<float[]> rows, long[] sampleShape, StreamingOptions options)
        : base("async rows enumerable", sampleShape, featureNames: null, options, declaredCount: null)
    {
        asyncRows = rows;
    }

    private protected override IEnumerable<SampleBlock> ReadChunks(int[]? order, BlockPool pool, CancellationToken cancellationToken)
    {
        var width = FeatureCount;
        using var enumerator = rows is not null ? new Enumerator(rows.GetEnumerator()) : new Enumerator(asyncRows!.GetAsyncEnumerator(cancellationToken));
        var blocks = new RowBlocks(pool, ChunkRows, width);
        while (true)
        {
            var row = blocks.Row;
            float[]? values;
            try
            {
                if (!enumerator.MoveNext())
                {
                    break;
                }

                values = enumerator.Current;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new DataSourceException(
                    $"The {Name} threw while producing sample {row} ({row} samples were read before it): {e.GetType().Name}: {e.Message}",
                    Name,
                    row,
                    innerException: e);
            }

            if (values is null || values.Length != width)
            {
                throw new DataSourceException(
                    $"The {Name} yielded {(values is null ? "null" : $"{values.Length} values")} as sample {row}; every sample must be a float array of {width} values (shape {Shapes.Format(SampleShape)}).",
                    Name,
                    row);
            }

            values.CopyTo(blocks.Next);
            if (blocks.Add() is { } full)
            {
                yield return full;
            }
        }

        if (blocks.Finish() is { } last)
        {
            yield return last;
        }
    }

    /// <summary>A synchronous view of either kind of enumerator (the reader runs on its own thread, so waiting is fine).</summary>
    private sealed class Enumerator : IDisposable
    {
        private readonly IEnumerator<float[]>? sync;
        private readonly IAsyncEnumerator<float[]>? async;

        public Enumerator(IEnumerator<float[]> sync) => this.sync = sync;

        public Enumerator(IAsyncEnumerator<float[]> async) => this.async = async;

        public float[]? Current => sync is not null ? sync.Current : async!.Current;

        public bool MoveNext() => sync?.MoveNext() ?? async!.MoveNextAsync().AsTask().GetAwaiter().GetResult();

        public void Dispose()
        {
            sync?.Dispose();
            async?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
