namespace Autoencoders.Evaluation;

/// <summary>
/// NAB's scoring rules that do not depend on a profile: the probationary period and the scaled sigmoid that
/// weights each detection by where it falls relative to the anomaly windows (NAB v1.1's sweeper).
/// </summary>
/// <remarks>
/// <para><b>Probationary period.</b> The first <see cref="ProbationaryLength"/> rows of a file, min(⌊0.15·n⌋, 750),
/// are for the detector to learn from; detections there are ignored. NAB's documentation says 15 % of the file;
/// its code caps that at 15 % of 5000 rows, and the published scores were computed with the cap.</para>
/// <para><b>Scaled sigmoid.</b> σ(y) = 2/(1 + e^(5y)) − 1, and −1 for y ≥ 3.</para>
/// <para><b>Inside a window</b> of w rows ending at row e, a detection at row i earns
/// tpWeight · σ(−(e − i + 1)/w) / σ(−1): the full tpWeight at the window's first row, falling towards 0 at its
/// last. Only the earliest detection in a window counts; a window with none costs −fnWeight.</para>
/// <para><b>Outside every window</b>, a detection at row i after a window of w rows ending at row e costs
/// fpWeight · σ((i − e)/(w − 1)): little just after the window, the full fpWeight three window-lengths later.
/// Before the first window it costs the full fpWeight. (NAB divides by zero after a one-row window; here a
/// false positive after one costs the full fpWeight.)</para>
/// </remarks>
public static class NabScoring
{
    /// <summary>The fraction of each file that is probationary: 0.15.</summary>
    public const double ProbationaryFraction = 0.15;

    /// <summary>NAB's cap on the probationary period: 15 % of 5000 rows.</summary>
    public const int MaxProbationaryRows = 750;

    /// <summary>The number of rows at the start of a file of <paramref name="rows"/> rows in which detections are
    /// ignored (and from which a NAB detector may learn): min(⌊0.15·<paramref name="rows"/>⌋, 750).</summary>
    /// <param name="rows">The file's number of rows.</param>
    /// <returns>The probationary length in rows.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative.</exception>
    public static int ProbationaryLength(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);

        // The same double arithmetic as NAB (floor of 0.15 * n), so that the boundary row agrees with it.
        return (int)Math.Min(Math.Floor(ProbationaryFraction * rows), MaxProbationaryRows);
    }

    /// <summary>σ(y) = 2/(1 + e^(5y)) − 1, and −1 from y = 3 on.</summary>
    internal static double ScaledSigmoid(double y) => y >= 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * y))) - 1.0;

    private static readonly double EarliestDetection = ScaledSigmoid(-1.0);

    /// <summary>What a detection at <paramref name="row"/> earns per unit of tpWeight, in a window of rows
    /// <paramref name="first"/>..<paramref name="last"/>: 1 at the first row.</summary>
    internal static double TruePositiveCredit(int row, int first, int last)
    {
        double width = last - first + 1;
        return ScaledSigmoid(-(last - row + 1) / width) / EarliestDetection;
    }

    /// <summary>What a detection at <paramref name="row"/> outside every window earns per unit of fpWeight
    /// (a negative number): after the window <paramref name="first"/>..<paramref name="last"/>, or −1 with none before it.</summary>
    internal static double FalsePositiveCredit(int row, int? first, int? last)
    {
        if (first is not { } f || last is not { } l)
        {
            return -1.0;
        }

        var width = l - f + 1;
        return width == 1 ? -1.0 : ScaledSigmoid((row - l) / (double)(width - 1));
    }
}
