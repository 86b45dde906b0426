namespace Autoencoders.Applications;

/// <summary>What a time-series detector says about one time step.</summary>
/// <param name="Step">The step's index in the series (or the stream, counting from 0).</param>
/// <param name="Score">The step's reconstruction error (see <see cref="StepScoring"/>), after scaling; NaN for the first
/// window length − 1 steps, which no causal window covers yet; +∞ when the error overflows float32 (a reading far outside
/// anything seen).</param>
/// <param name="PValue">The conformal p-value of the score against the detector's n clean calibration scores,
/// (1 + #{calibration scores ≥ score}) / (n + 1): small is anomalous, and for a step exchangeable with the calibration steps
/// P(p ≤ α) ≤ α (consecutive steps of a series are not exchangeable, so read it as a rank). NaN where the score is.</param>
/// <param name="Likelihood">With <see cref="TimeSeriesDetectorOptions.Postprocessing"/>: the likelihood score in [0, 1]
/// (0 while suppressed after an alarm and where there is no score); null without post-processing.</param>
/// <param name="IsAnomaly">With post-processing: whether the step raises an alarm; without: whether the score is above the
/// detector's <see cref="TimeSeriesAnomalyDetector.DecisionThreshold"/>.</param>
/// <param name="ChannelErrors">Each sensor channel's squared error at the step, after scaling (their mean is the score);
/// empty where there is no score. <see cref="TimeSeriesAnomalyDetector.Explain"/> names and ranks them.</param>
/// <param name="FilledValues">How many of the step's values were missing and forward-filled
/// (<see cref="Data.MissingValues.ForwardFill"/>).</param>
public sealed record StepScore(int Step, double Score, double PValue, double? Likelihood, bool IsAnomaly, IReadOnlyList<float> ChannelErrors, int FilledValues)
{
    /// <summary>Whether the step has a score (a window covers it).</summary>
    public bool IsScored => !double.IsNaN(Score);
}
