namespace Autoencoders.Applications;

/// <summary>
/// Periodic refitting of a streaming time-series detector on a sliding history, for series whose normal behaviour drifts.
/// Off unless set in <see cref="TimeSeriesDetectorOptions.Refit"/>.
/// </summary>
/// <remarks>
/// Every <see cref="Every"/> steps a stream fits a new detector, with the same options and seed, on its last
/// <see cref="History"/> steps, and scores the following steps with it (threshold and calibration scores included); the
/// post-processing keeps its history. Refitting trains a model inside <see cref="TimeSeriesStream.Push(float[], DateTime?)"/>,
/// which then takes as long as a fit. Whatever the history holds becomes normal, anomalies included.
/// <example>
/// <code>
/// var options = TimeSeriesDetectorOptions.Default with { Refit = new SeriesRefit { Every = 2016, History = 4032 } };
/// </code>
/// </example>
/// </remarks>
public sealed record SeriesRefit
{
    /// <summary>Refit after every this many pushed steps (at least 1).</summary>
    public int Every { get; init; } = 2016;

    /// <summary>How many of the latest steps the refit learns from; the stream keeps them (more than a window, plus the threshold's
    /// held-out part). Refits wait until the stream has this many steps.</summary>
    public int History { get; init; } = 4032;

    internal void Validate(int windowLength, Threshold threshold)
    {
        var holdoutFraction = threshold.HoldoutFraction;
        if (Every < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Every), Every, "Refit every one step or more.");
        }

        var needed = (int)Math.Ceiling(windowLength / (1 - holdoutFraction)) + 1;
        if (History < needed)
        {
            throw new ArgumentOutOfRangeException(
                nameof(History), History, $"The refit history must hold at least {needed} steps: a window of {windowLength} steps to train on after the threshold's held-out part.");
        }

        try
        {
            threshold.EnsureEnoughRows(History);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentOutOfRangeException(nameof(History), History, $"The refit history cannot calibrate the threshold: {e.Message}");
        }
    }
}
