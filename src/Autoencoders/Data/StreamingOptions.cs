namespace Autoencoders.Data;

/// <summary>
/// How a streaming <see cref="DataSource"/> reads and shuffles: the chunk it reads at once and the buffer
/// it mixes samples in. The defaults bound its memory to about 64 MiB of shuffle buffer plus four chunks of
/// 4 MiB, whatever the size of the file.
/// </summary>
/// <remarks>
/// With shuffling on, a source that allows random access visits its chunks in a random order, and every
/// source passes its samples through a buffer of <see cref="ShuffleBufferSize"/> samples, emitting one at
/// random as each new one arrives (as <c>tf.data</c>'s <c>shuffle</c> does). A buffer at least as large as
/// the data gives a uniformly random permutation; a smaller one mixes samples that lie up to about
/// (buffer ÷ chunk) chunks apart in the chunk order. Bigger buffers shuffle better and cost memory.
/// <example>
/// <code>
/// var source = DataSource.FromIdx("big-idx3-float", options: new StreamingOptions { ShuffleBufferSize = 100_000 });
/// </code>
/// </example>
/// </remarks>
public sealed record StreamingOptions
{
    /// <summary>The bytes of sample values the default chunk holds.</summary>
    public const int DefaultChunkBytes = 4 << 20;

    /// <summary>The bytes of sample values the default shuffle buffer holds.</summary>
    public const int DefaultShuffleBufferBytes = 64 << 20;

    /// <summary>The defaults.</summary>
    public static StreamingOptions Default { get; } = new();

    /// <summary>
    /// Samples read at once, and permuted as one unit where the file allows random access; null for as many
    /// as fit in <see cref="DefaultChunkBytes"/> (16 to 65,536). Parquet files read one row group at a time
    /// whatever this says.
    /// </summary>
    public int? ChunkSize { get; init; }

    /// <summary>Samples held in the shuffle buffer; null for as many as fit in <see cref="DefaultShuffleBufferBytes"/> (at least 1,024).</summary>
    public int? ShuffleBufferSize { get; init; }

    /// <summary>The chunk size for samples of <paramref name="featureCount"/> values.</summary>
    internal int ChunkRows(int featureCount)
    {
        var rows = ChunkSize ?? Math.Clamp(DefaultChunkBytes / (sizeof(float) * featureCount), 16, 65_536);
        if (rows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, "The chunk size must be at least one sample.");
        }

        return rows;
    }

    /// <summary>The shuffle buffer's size for samples of <paramref name="featureCount"/> values.</summary>
    internal int ShuffleRows(int featureCount)
    {
        var rows = ShuffleBufferSize ?? Math.Max(1_024, DefaultShuffleBufferBytes / (sizeof(float) * featureCount));
        if (rows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ShuffleBufferSize), ShuffleBufferSize, "The shuffle buffer must hold at least one sample.");
        }

        return rows;
    }
}
