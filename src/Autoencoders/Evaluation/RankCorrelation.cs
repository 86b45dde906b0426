namespace Autoencoders.Evaluation;

/// <summary>Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank.</summary>
internal static class RankCorrelation
{
    /// <summary>Spearman's ρ of two equally long samples; NaN when either is constant.</summary>
    public static double Spearman(double[] x, double[] y)
    {
        var (rx, ry) = (AverageRanks.Of(x), AverageRanks.Of(y));
        var mean = (x.Length + 1) / 2.0; // the mean of any average ranks 1 … n
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var (dx, dy) = (rx[i] - mean, ry[i] - mean);
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
