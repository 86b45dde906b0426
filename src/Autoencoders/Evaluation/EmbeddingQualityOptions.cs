namespace Autoencoders.Evaluation;

/// <summary>Configures <see cref="EmbeddingQuality.Measure(float[,], float[,], IReadOnlyList{long}?, EmbeddingQualityOptions?, IProgress{NeighbourSearchProgress}?, CancellationToken)"/>.</summary>
public sealed record EmbeddingQualityOptions
{
    /// <summary>
    /// The neighbourhood size k of trustworthiness, continuity, neighbour preservation and the
    /// leave-one-out k-NN vote (5, as published for Fashion-MNIST). It must be below half the number of
    /// points, where trustworthiness's normalisation holds.
    /// </summary>
    public int Neighbours { get; init; } = 5;

    /// <summary>
    /// How many pairs of points the distance correlation uses: all n(n − 1)/2 pairs when there are no
    /// more than this, otherwise this many drawn at random (with replacement) with <see cref="Seed"/>.
    /// </summary>
    public int DistancePairs { get; init; } = 100_000;

    /// <summary>Seeds the sample of pairs; the same seed gives the same pairs.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// libtorch intra-op threads for the distance computations; null for the library's default
    /// (<see cref="Native.ThreadPolicy.DefaultTrainingThreads"/>, one thread, which is never
    /// pathological on a busy machine). Process-wide in libtorch: set for the call and restored after it.
    /// </summary>
    public int? Threads { get; init; }
}
