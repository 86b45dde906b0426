namespace Autoencoders.Applications;

/// <summary>Why a sample scored as it did: the reconstruction error of each of its features.</summary>
/// <example>
/// <code>
/// var why = detector.Explain(row);
/// foreach (var feature in why.Top(3)) Console.WriteLine($"{feature.Name}: {feature.Share:p0}");
/// </code>
/// </example>
public sealed class AnomalyExplanation
{
    private readonly IReadOnlyList<string>? names;
    private readonly IReadOnlyList<int> sampleShape;

    internal AnomalyExplanation(double score, bool isAnomaly, float[] featureErrors, IReadOnlyList<string>? names, IReadOnlyList<int> sampleShape)
    {
        Score = score;
        IsAnomaly = isAnomaly;
        FeatureErrors = featureErrors;
        this.names = names;
        this.sampleShape = sampleShape;
    }

    /// <summary>The sample's anomaly score.</summary>
    public double Score { get; }

    /// <summary>Whether the score is above the detector's threshold.</summary>
    public bool IsAnomaly { get; }

    /// <summary>The squared reconstruction error of each (flattened) feature, after scaling.</summary>
    public IReadOnlyList<float> FeatureErrors { get; }

    /// <summary>The <paramref name="count"/> features with the largest errors, largest first.</summary>
    public IReadOnlyList<FeatureContribution> Top(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var total = FeatureErrors.Sum(e => (double)e);
        return FeatureErrors
            .Select((error, index) => (error, index))
            .OrderByDescending(p => p.error)
            .ThenBy(p => p.index)
            .Take(count)
            .Select(p => new FeatureContribution(p.index, names?[p.index] ?? $"feature {p.index}", p.error, total > 0 ? p.error / total : 0))
            .ToArray();
    }

    /// <summary>
    /// For image samples ([channels, height, width]) the error of each pixel, summed over channels:
    /// where the image is unlike what the detector learned.
    /// </summary>
    /// <exception cref="InvalidOperationException">The samples are not images.</exception>
    public float[,] ErrorMap()
    {
        if (sampleShape.Count != 3)
        {
            throw new InvalidOperationException($"An error map needs image samples shaped [channels, height, width]; these are shaped [{string.Join(", ", sampleShape)}].");
        }

        int channels = sampleShape[0], height = sampleShape[1], width = sampleShape[2];
        var map = new float[height, width];
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    map[y, x] += FeatureErrors[(((c * height) + y) * width) + x];
                }
            }
        }

        return map;
    }
}
