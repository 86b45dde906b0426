namespace Autoencoders.Applications;

/// <summary>
/// Decisions over a whole batch of samples that bound the expected share of false alarms among the
/// samples flagged (the false discovery rate), rather than the rate at which each clean sample is flagged.
/// </summary>
/// <example>
/// <code>
/// using var detector = AnomalyDetector.Fit(normalRows);          // held-out, split-conformal calibration
/// bool[] flagged = FalseDiscoveryRate.BenjaminiHochberg(detector.PValue(todaysRows), 0.1);
/// // on average at most 10 % of the flagged rows are clean ones
/// </code>
/// </example>
public static class FalseDiscoveryRate
{
    /// <summary>
    /// The Benjamini–Hochberg procedure: with the p-values sorted, p₍₁₎ ≤ … ≤ p₍ₘ₎, flags the j* smallest,
    /// where j* is the largest j with p₍ⱼ₎ ≤ <paramref name="rate"/>·j / m (none when there is no such j).
    /// With the conformal p-values of <see cref="AnomalyDetector.PValue(float[,])"/> (calibration held out,
    /// clean test samples exchangeable with it) the expected share of clean samples among those flagged is
    /// at most <paramref name="rate"/> × (clean samples / m), on average over calibration sets and batches:
    /// such p-values are positively dependent (PRDS), under which the procedure keeps its guarantee
    /// (Bates et al., Annals of Statistics 2023).
    /// </summary>
    /// <param name="pValues">One p-value per sample, each in [0, 1].</param>
    /// <param name="rate">The false discovery rate to control, in (0, 1).</param>
    /// <returns>Whether each sample is flagged, in the order of <paramref name="pValues"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not in (0, 1), or a p-value is not in [0, 1].</exception>
    public static bool[] BenjaminiHochberg(IReadOnlyList<double> pValues, double rate)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (!(rate > 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The false discovery rate must be in (0, 1), e.g. 0.1.");
        }

        for (var i = 0; i < pValues.Count; i++)
        {
            if (!(pValues[i] >= 0 && pValues[i] <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(pValues), pValues[i], $"p-value {i} is not in [0, 1].");
            }
        }

        var order = Enumerable.Range(0, pValues.Count).OrderBy(i => pValues[i]).ToArray();
        var count = 0;
        for (var j = order.Length; j >= 1; j--)
        {
            if (pValues[order[j - 1]] <= rate * j / order.Length)
            {
                count = j;
                break;
            }
        }

        var flagged = new bool[pValues.Count];
        foreach (var i in order.Take(count))
        {
            flagged[i] = true;
        }

        return flagged;
    }
}
