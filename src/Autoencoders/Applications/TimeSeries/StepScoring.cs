namespace Autoencoders.Applications;

/// <summary>How a time-series detector turns the reconstruction errors of windows into one score per time step.</summary>
public enum StepScoring
{
    /// <summary>
    /// The step's error in the window that ends at it: only the step and the ones before it count, so the score is final as
    /// soon as the step arrives (what streams and NAB need). The first window length − 1 steps of a series have no score.
    /// </summary>
    Causal,

    /// <summary>The mean of the step's errors over every window that contains it (looks ahead up to a window length).</summary>
    MeanOfCovering,

    /// <summary>The largest of the step's errors over the windows that contain it (looks ahead up to a window length).</summary>
    MaxOfCovering,
}
