namespace Autoencoders.Applications;

/// <summary>The rank of a score among a detector's clean calibration scores: the share of them at or below it (an empirical
/// CDF, in [0, 1]).</summary>
internal static class CalibrationRank
{
    /// <summary>The share of <paramref name="sorted"/> (ascending) at or below <paramref name="score"/>.</summary>
    public static double Of(double[] sorted, double score)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (sorted[middle] <= score)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low / (double)sorted.Length;
    }
}
