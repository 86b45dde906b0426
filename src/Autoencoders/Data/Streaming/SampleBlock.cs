namespace Autoencoders.Data.Streaming;

/// <summary>
/// Consecutive samples read from a source: <paramref name="Rows"/> × the source's feature count values,
/// row-major, at the start of <paramref name="Values"/> (which may be longer, and is rented from a
/// <see cref="BlockPool"/>).
/// </summary>
/// <param name="FirstRow">The index of the first sample in the root source's stored order; −1 once a view has filtered the block.</param>
/// <param name="Rows">The number of samples.</param>
/// <param name="Values">The values.</param>
internal readonly record struct SampleBlock(long FirstRow, int Rows, float[] Values);
