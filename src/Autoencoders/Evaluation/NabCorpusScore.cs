namespace Autoencoders.Evaluation;

/// <summary>
/// A detector's NAB score on a corpus under one profile: the raw score, the null and perfect detectors'
/// scores it is normalised against, the normalised score on NAB's scoreboard scale and each file's part.
/// </summary>
/// <param name="Profile">The profile the detections were weighted with.</param>
/// <param name="Threshold">The threshold: a row is a detection when its anomaly score is at or above it
/// (<see cref="double.PositiveInfinity"/>: no detection at all).</param>
/// <param name="RawScore">The sum of the files' raw scores.</param>
/// <param name="NullScore">The raw score of the detector that never detects: −fnWeight for every scored window.</param>
/// <param name="PerfectScore">The raw score of the detector that detects every window at its first row:
/// tpWeight for every window of the corpus (NAB's definition).</param>
/// <param name="Files">Each file's part, in the corpus's order.</param>
public sealed record NabCorpusScore(
    NabProfile Profile,
    double Threshold,
    double RawScore,
    double NullScore,
    double PerfectScore,
    IReadOnlyList<NabFileScore> Files)
{
    /// <summary>The score on NAB's scoreboard scale, 100·(raw − null)/(perfect − null): 0 for the null detector,
    /// 100 for the perfect one; NaN for a corpus without windows.</summary>
    public double NormalizedScore => PerfectScore == NullScore ? double.NaN : 100.0 * (RawScore - NullScore) / (PerfectScore - NullScore);

    /// <summary>Scored windows with at least one detection, over the corpus.</summary>
    public int DetectedWindows => Files.Sum(f => f.DetectedWindows);

    /// <summary>Scored windows without any detection, over the corpus.</summary>
    public int MissedWindows => Files.Sum(f => f.MissedWindows);

    /// <summary>Detections outside every window after the probationary period, over the corpus.</summary>
    public int FalsePositives => Files.Sum(f => f.FalsePositives);
}
