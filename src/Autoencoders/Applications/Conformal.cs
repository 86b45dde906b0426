namespace Autoencoders.Applications;

/// <summary>
/// Split-conformal calibration (Bates, Candès, Lei, Romano and Sesia, "Testing for outliers with conformal
/// p-values", Annals of Statistics 2023). With n clean calibration scores S₁…Sₙ held out from training, the
/// conformal p-value of a new score s is p(s) = (1 + #{i: Sᵢ ≥ s}) / (n + 1); when the new sample is clean
/// and exchangeable with the calibration samples, P(p(s) ≤ α) ≤ α. Flagging p(s) ≤ α is the same decision
/// as flagging s &gt; S₍ₖ₎, the k-th smallest calibration score, with k = n + 1 − m and m the largest integer
/// with m / (n + 1) ≤ α (so k = ⌈(1 − α)(n + 1)⌉); it needs m ≥ 1, i.e. n ≥ 1/α − 1.
/// </summary>
/// <remarks>
/// m is found with the very floating-point comparison a caller makes when testing p ≤ α, so the two
/// decisions agree for every score, ties included: a score equal to S₍ₖ₎ counts itself among the
/// calibration scores at or above it and is not flagged.
/// </remarks>
internal static class Conformal
{
    /// <summary>The largest m in 0…n + 1 with m / (n + 1) ≤ <paramref name="alpha"/>.</summary>
    public static int AllowedCount(int n, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var denominator = (double)(n + 1);
        var m = (int)Math.Clamp(Math.Floor(alpha * denominator), 0, n + 1);
        while (m < n + 1 && (m + 1) / denominator <= alpha)
        {
            m++;
        }

        while (m > 0 && m / denominator > alpha)
        {
            m--;
        }

        return m;
    }

    /// <summary>The 1-based rank k of the threshold among the sorted calibration scores, or null when n is too small for <paramref name="alpha"/>.</summary>
    public static int? ThresholdRank(int n, double alpha) => AllowedCount(n, alpha) is var m and >= 1 ? n + 1 - m : null;

    /// <summary>The smallest number of calibration scores for which <paramref name="alpha"/> is achievable (n ≥ 1/α − 1).</summary>
    public static int SmallestCalibrationSize(double alpha)
    {
        var n = Math.Max(0, (int)Math.Min(int.MaxValue - 1, Math.Ceiling(1 / alpha)) - 2);
        while (ThresholdRank(n, alpha) is null)
        {
            n++;
        }

        return n;
    }

    /// <summary>
    /// The conformal p-value (1 + #{i: Sᵢ ≥ s}) / (n + 1) of <paramref name="score"/> against ascending
    /// <paramref name="sortedCalibration"/>; NaN for a NaN score, which no threshold flags either.
    /// </summary>
    public static double PValue(double[] sortedCalibration, double score)
    {
        if (double.IsNaN(score))
        {
            return double.NaN;
        }

        // The first index whose score is ≥ s; everything from there up counts.
        int low = 0, high = sortedCalibration.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (sortedCalibration[middle] < score)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        var atOrAbove = sortedCalibration.Length - low;
        return (1 + atOrAbove) / (double)(sortedCalibration.Length + 1);
    }
}
