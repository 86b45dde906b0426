namespace Autoencoders.Data.Streaming;

/// <summary>
/// Gathers samples read one at a time (CSV lines, enumerable rows) into blocks of a fixed number of samples.
/// </summary>
internal sealed class RowBlocks(BlockPool pool, int chunkRows, int width)
{
    private SampleBlock block = new(0, 0, pool.Rent(chunkRows * width));

    /// <summary>The index of the next sample.</summary>
    public long Row { get; private set; }

    /// <summary>Where the values of the next sample go, before <see cref="Add"/>.</summary>
    public Span<float> Next => block.Values.AsSpan(block.Rows * width, width);

    /// <summary>Counts the sample just written; returns the block when that filled it (a new one starts), else null.</summary>
    public SampleBlock? Add()
    {
        Row++;
        block = block with { Rows = block.Rows + 1 };
        if (block.Rows < chunkRows)
        {
            return null;
        }

        var full = block;
        block = new SampleBlock(Row, 0, pool.Rent(chunkRows * width));
        return full;
    }

    /// <summary>The last, partly filled block, or null when it is empty (its array goes back to the pool).</summary>
    public SampleBlock? Finish()
    {
        if (block.Rows > 0)
        {
            return block;
        }

        pool.Return(block.Values);
        return null;
    }
}
