namespace Autoencoders.Evaluation;

/// <summary>
/// Progress of an exact neighbour search: how many of the query rows have had their neighbours found.
/// Reported after each block of rows by <see cref="EmbeddingQuality"/> and <see cref="NeighbourClassification"/>.
/// </summary>
/// <param name="Completed">Query rows done so far.</param>
/// <param name="Total">Query rows in all.</param>
public sealed record NeighbourSearchProgress(int Completed, int Total)
{
    /// <summary>The share done, from 0 to 1.</summary>
    public double Fraction => Total == 0 ? 1 : Completed / (double)Total;
}
