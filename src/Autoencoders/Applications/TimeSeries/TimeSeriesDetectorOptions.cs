using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>Configures <see cref="TimeSeriesAnomalyDetector.Fit(float[,], IReadOnlyList{DateTime}?, TimeSeriesDetectorOptions?, IProgress{EpochReport}?, CancellationToken)"/>.</summary>
/// <example>
/// <code>
/// var options = TimeSeriesDetectorOptions.Default with
/// {
///     WindowLength = 64,
///     TimeFeatures = TimeFeatures.TimeOfDay,                 // needs timestamps
///     Postprocessing = SeriesPostprocessing.Default,          // one early alarm per anomaly
/// };
/// </code>
/// </example>
public sealed record TimeSeriesDetectorOptions
{
    /// <summary>The defaults: windows of 64 steps, stride 1, per-channel standardisation, a dense autoencoder
    /// (<see cref="DefaultSeriesArchitecture"/>), a 1% false-positive rate on the last 20% of the training span, no time
    /// features, no post-processing, missing values refused.</summary>
    public static TimeSeriesDetectorOptions Default { get; } = new();

    /// <summary>
    /// For watching a live, timestamped sensor and raising one early alarm per anomaly: windows of 64 steps, the time of day
    /// as an input, an ensemble of three models, every step of the training span learnt from (the threshold is the largest
    /// training score, and the post-processing decides), and <see cref="SeriesPostprocessing.Default"/>. These are the
    /// settings the Numenta Anomaly Benchmark run (the README's B8) measures, one configuration for every file. Needs
    /// timestamps; the training span should cover a few days.
    /// </summary>
    public static TimeSeriesDetectorOptions Monitoring { get; } = new()
    {
        WindowLength = 64,
        TimeFeatures = TimeFeatures.TimeOfDay,
        EnsembleSize = 3,
        Threshold = Threshold.MaxTrainingScore(),
        Postprocessing = SeriesPostprocessing.Default,
    };

    /// <summary>The number of time steps in a window (at least 2).</summary>
    public int WindowLength { get; init; } = 64;

    /// <summary>The steps between the starts of consecutive training windows (scoring always uses every window).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>The model; its input shape must be [channels + time-feature channels, <see cref="WindowLength"/>]. Null for
    /// <see cref="DefaultSeriesArchitecture"/>.</summary>
    public AutoencoderSpec? Spec { get; init; }

    /// <summary>How many models to train (seeds <see cref="Seed"/>, <see cref="Seed"/> + 1, …); each step's errors are the
    /// mean of theirs. Averaging the scores of several autoencoders makes them steadier from one seed to another (Chen et
    /// al., "Outlier detection with autoencoder ensembles", SDM 2017), at the cost of that many fits and evaluations.</summary>
    public int EnsembleSize { get; init; } = 1;

    /// <summary>How each channel is scaled, fitted on the training span only (<see cref="Scaling.Auto"/> standardises).</summary>
    public Scaling Scaling { get; init; } = Scaling.Standard;

    /// <summary>Calendar channels the model sees next to the sensors (they need timestamps).</summary>
    public TimeFeatures TimeFeatures { get; init; } = TimeFeatures.None;

    /// <summary>How step scores become decisions without post-processing. Rules with a held-out part (the false-positive
    /// rate) hold out the end of the training span, not a random part: the model fits the steps before it. Consecutive steps
    /// of a series are not exchangeable, so the split-conformal guarantee of <see cref="Threshold.FalsePositiveRate"/> holds
    /// only roughly here: read the rate as a target.</summary>
    public Threshold Threshold { get; init; } = Threshold.FalsePositiveRate(0.01);

    /// <summary>The anomaly likelihood and alarm suppression applied to the stream of step scores; null for none.</summary>
    public SeriesPostprocessing? Postprocessing { get; init; }

    /// <summary>What to do with NaN values.</summary>
    public MissingValues MissingValues { get; init; } = MissingValues.Refuse;

    /// <summary>Periodic refitting of streams on their recent steps; null for none.</summary>
    public SeriesRefit? Refit { get; init; }

    /// <summary>The training run; <see cref="DefaultSeriesArchitecture.Training"/> when null.</summary>
    public TrainerOptions? Training { get; init; }

    /// <summary>Optional names of the channels (sensors), used by explanations and error messages.</summary>
    public IReadOnlyList<string>? ChannelNames { get; init; }

    /// <summary>Where the models train and compute: "cpu" (the default), "cuda" or "cuda:N" (needs a CUDA backend package).
    /// A loaded detector computes where <see cref="TimeSeriesAnomalyDetector.Load"/> is told to.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Seeds the weights, shuffling and noise.</summary>
    public long Seed { get; init; }
}
