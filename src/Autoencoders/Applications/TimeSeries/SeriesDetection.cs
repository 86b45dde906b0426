namespace Autoencoders.Applications;

/// <summary>A time-series detector's verdict on every step of a series, and what it noticed about the input.</summary>
/// <param name="Steps">One entry per time step, in order.</param>
/// <param name="Warnings">Irregular timestamps, forward-filled values and the like, in words; empty when there was nothing to
/// say.</param>
public sealed record SeriesDetection(IReadOnlyList<StepScore> Steps, IReadOnlyList<string> Warnings)
{
    /// <summary>Each step's score (NaN where there is none).</summary>
    public double[] Scores() => Steps.Select(s => s.Score).ToArray();

    /// <summary>Each step's likelihood score in [0, 1] (post-processing on), else 1 − its p-value (0 where there is no
    /// score): one anomaly score per step in [0, 1], higher for more anomalous, as NAB takes it.</summary>
    public double[] UnitScores() => Steps.Select(s => s.Likelihood ?? (s.IsScored ? 1 - s.PValue : 0)).ToArray();

    /// <summary>The steps flagged as anomalies.</summary>
    public int[] AnomalousSteps() => Steps.Where(s => s.IsAnomaly).Select(s => s.Step).ToArray();
}
