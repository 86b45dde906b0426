using System.Globalization;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>
/// Finds anomalies in time series — one sensor or many — by how badly an autoencoder trained on windows of normal behaviour
/// reconstructs the windows of new data. Fit it on a clean span (or the first part of a stream); score whole series, or
/// feed a <see cref="TimeSeriesStream"/> point by point; explain which channel is off.
/// </summary>
/// <remarks>
/// <para>A series is a <c>float[time, channels]</c> array, one row per time step. The detector scales each channel (fitted
/// on the training span only), cuts the series into sliding windows of <see cref="WindowLength"/> steps
/// (<see cref="SlidingWindows"/>) and trains the autoencoder on them. A step's score is the squared reconstruction error of
/// its channels at that step, after scaling: by default in the window that ends at it (causal, as a stream sees it), or
/// averaged over (or the largest of) the windows that contain it (<see cref="StepScoring"/>). The threshold comes from a
/// <see cref="Threshold"/> rule applied to the causal scores of clean calibration steps — by default the last 20% of the
/// training span, which the model does not train on.</para>
/// <para>With <see cref="TimeSeriesDetectorOptions.Postprocessing"/> the scores also pass through an anomaly likelihood
/// and alarm suppression (<see cref="SeriesPostprocessing"/>), which turn a run of high errors into one early alarm.</para>
/// <example>
/// <code>
/// using var detector = TimeSeriesAnomalyDetector.Fit(normalSeries, options: TimeSeriesDetectorOptions.Default with { WindowLength = 32 });
/// SeriesDetection result = detector.Detect(newSeries);                 // one StepScore per step
/// foreach (var step in result.Steps.Where(s => s.IsAnomaly))
///     Console.WriteLine($"step {step.Step}: {detector.Explain(step).Top(1)[0].Name}");
///
/// using var stream = detector.OpenStream();                             // live: the same scores, point by point
/// StepScore now = stream.Push(latestReading);
/// </code>
/// </example>
/// </remarks>
public sealed partial class TimeSeriesAnomalyDetector : IDisposable
{
    private readonly double[] _calibration;
    private readonly double[] _sortedCalibration;

    private TimeSeriesAnomalyDetector(
        IReadOnlyList<Autoencoder> models, TimeSeriesDetectorOptions options, int channels, double threshold, string rule, double[] calibration, TrainingHistory? history, IReadOnlyList<string> warnings)
    {
        Models = models;
        Options = options;
        ChannelCount = channels;
        DecisionThreshold = threshold;
        ThresholdRule = rule;
        _calibration = calibration;
        _sortedCalibration = calibration.Order().ToArray();
        History = history;
        FitWarnings = warnings;
        Layout = SeriesLayout.Create(options, channels, nameof(options));
    }

    /// <summary>The trained autoencoder (the first of an ensemble); its input is a window shaped [channels + time-feature
    /// channels, window length] and its scaler scales each sensor channel.</summary>
    public Autoencoder Model => Models[0];

    /// <summary>The ensemble's models (<see cref="TimeSeriesDetectorOptions.EnsembleSize"/>; one by default), which share the
    /// scaler.</summary>
    public IReadOnlyList<Autoencoder> Models { get; }

    /// <summary>The options the detector was fitted with (a loaded detector: the ones that matter for scoring).</summary>
    public TimeSeriesDetectorOptions Options { get; }

    /// <summary>The number of sensor channels a series must have.</summary>
    public int ChannelCount { get; }

    /// <summary>The number of time steps in a window.</summary>
    public int WindowLength => Options.WindowLength;

    /// <summary>The channels' names, if given.</summary>
    public IReadOnlyList<string>? ChannelNames => Options.ChannelNames;

    /// <summary>Without post-processing, step scores above this value are anomalies.</summary>
    public double DecisionThreshold { get; }

    /// <summary>The rule the threshold came from.</summary>
    public string ThresholdRule { get; }

    /// <summary>The causal scores of the clean calibration steps, in time order.</summary>
    public IReadOnlyList<double> CalibrationScores => _calibration;

    /// <summary>The training run of the first model (null for a loaded detector).</summary>
    public TrainingHistory? History { get; }

    /// <summary>What fitting noticed about its input (irregular timestamps, forward-filled values); empty when nothing.</summary>
    public IReadOnlyList<string> FitWarnings { get; }

    /// <summary>Trains a detector on a span of normal behaviour.</summary>
    /// <param name="series">The training span, [time, channels]: at least a window longer than the part held out to
    /// calibrate the threshold.</param>
    /// <param name="timestamps">One timestamp per step: needed for <see cref="TimeSeriesDetectorOptions.TimeFeatures"/>, and
    /// checked for gaps and steps back in time (reported in <see cref="FitWarnings"/>).</param>
    /// <param name="options">The window, model, threshold and post-processing; <see cref="TimeSeriesDetectorOptions.Default"/>
    /// when null.</param>
    /// <param name="progress">Receives a report after every training epoch (of every model of an ensemble, one model after
    /// the other).</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The fitted detector; dispose it.</returns>
    /// <exception cref="ArgumentException">The series is empty, holds NaN/∞ (unless forward-filled) or is too short for a
    /// window, the options do not fit the data (channel names, the spec's input shape), or timestamps are missing or of the
    /// wrong length. Messages name the step and channel.</exception>
    public static TimeSeriesAnomalyDetector Fit(
        float[,] series,
        IReadOnlyList<DateTime>? timestamps = null,
        TimeSeriesDetectorOptions? options = null,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= TimeSeriesDetectorOptions.Default;
        SeriesChecks.RequireNonEmpty(series, nameof(series));
        var channels = series.GetLength(1);
        var layout = SeriesLayout.Create(options, channels, nameof(options));
        var warnings = new List<string>();
        layout.CheckTimestamps(timestamps, series.GetLength(0), nameof(timestamps), warnings);
        var (clean, filled) = SeriesChecks.Repair(series, options.MissingValues, nameof(series), options.ChannelNames);
        if (filled.Count > 0)
        {
            warnings.Add(SeriesChecks.DescribeFilled(filled, options.ChannelNames));
        }

        var steps = clean.GetLength(0);
        Devices.Check(Devices.Parse(options.Device, nameof(options)), allowMeta: false, nameof(options));
        var (fitSteps, calibrationSteps) = Split(steps, options);
        var inputs = layout.Inputs(clean, timestamps);
        var spec = options.Spec ?? DefaultSeriesArchitecture.For(layout.InputChannels, options.WindowLength);
        layout.CheckSpec(spec, nameof(options));

        var scaler = ChannelScaler(options.Scaling, Slice(clean, 0, fitSteps));
        var windowScaler = scaler is null ? null : WindowScaling.Expand(scaler, layout.TimeChannels, options.WindowLength);
        using var windows = SeriesWindows.ToDataset(Slice(inputs, 0, fitSteps), new SlidingWindows(options.WindowLength, options.Stride));
        var models = new List<Autoencoder>(options.EnsembleSize);
        try
        {
            TrainingHistory? history = null;
            for (var member = 0; member < options.EnsembleSize; member++)
            {
                var (model, run) = FittedModel.Train(
                    windows, spec, windowScaler, options.Training ?? DefaultSeriesArchitecture.Training, options.Seed + member, options.Device, progress, cancellationToken);
                models.Add(model);
                history ??= run;
            }

            // Calibrate on the held-out end of the span, or in-sample on the whole span when the rule holds nothing out.
            var first = calibrationSteps > 0 ? fitSteps : options.WindowLength - 1;
            var calibration = Calibration(CausalScores(models, layout, inputs, first));
            var rule = options.Threshold;
            if (rule.Warning(calibration.Length) is { } few)
            {
                warnings.Add(few);
            }

            return new TimeSeriesAnomalyDetector(models, options, channels, rule.Compute(calibration), rule.Describe(calibration.Length), calibration, history, warnings);
        }
        catch
        {
            foreach (var model in models)
            {
                model.Dispose();
            }

            throw;
        }
    }

    /// <summary>Trains a detector on a span of one sensor's values (see <see cref="Fit(float[,], IReadOnlyList{DateTime}?, TimeSeriesDetectorOptions?, IProgress{EpochReport}?, CancellationToken)"/>).</summary>
    public static TimeSeriesAnomalyDetector Fit(
        IReadOnlyList<float> values,
        IReadOnlyList<DateTime>? timestamps = null,
        TimeSeriesDetectorOptions? options = null,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default) =>
        Fit(Column(values, nameof(values)), timestamps, options, progress, cancellationToken);

    /// <summary>Scores every step of a series (a new one, not a continuation of the training span: its first window length − 1
    /// steps have no causal score).</summary>
    /// <param name="series">The series, [time, channels], with the channels the detector was fitted on.</param>
    /// <param name="timestamps">One per step; required with time features.</param>
    /// <param name="scoring">Causal (the default, equal to a <see cref="TimeSeriesStream"/> fed the same steps) or from all
    /// the windows that contain a step.</param>
    /// <returns>One <see cref="StepScore"/> per step, and warnings about the input.</returns>
    /// <exception cref="ArgumentException">The channels do not match, a value is NaN/∞ (unless forward-filled), or the
    /// timestamps are missing or of the wrong length.</exception>
    public SeriesDetection Detect(float[,] series, IReadOnlyList<DateTime>? timestamps = null, StepScoring scoring = StepScoring.Causal)
    {
        SeriesChecks.RequireNonEmpty(series, nameof(series));
        CheckChannels(series.GetLength(1), nameof(series));
        var warnings = new List<string>();
        Layout.CheckTimestamps(timestamps, series.GetLength(0), nameof(timestamps), warnings);
        if (scoring == StepScoring.Causal)
        {
            using var stream = new TimeSeriesStream(this, postprocess: true, collectWarnings: true);
            var steps = stream.Push(series, timestamps);
            warnings.AddRange(stream.TakeWarnings());
            return new SeriesDetection(steps, warnings);
        }

        return CoveringDetection.Run(this, series, timestamps, scoring, warnings);
    }

    /// <summary>Scores every step of one sensor's values (see <see cref="Detect(float[,], IReadOnlyList{DateTime}?, StepScoring)"/>).</summary>
    public SeriesDetection Detect(IReadOnlyList<float> values, IReadOnlyList<DateTime>? timestamps = null, StepScoring scoring = StepScoring.Causal) =>
        Detect(Column(values, nameof(values)), timestamps, scoring);

    /// <summary>Opens an online scorer: push points one at a time or in chunks and get each one's score at once, from the
    /// points before it only, in bounded memory. Its scores equal <see cref="Detect(float[,], IReadOnlyList{DateTime}?, StepScoring)"/>'s
    /// causal ones for the same points, bit for bit.</summary>
    /// <returns>A new stream; dispose it (it owns the models of periodic refits).</returns>
    public TimeSeriesStream OpenStream() => new(this, postprocess: true);

    /// <summary>Names and ranks the channels of a scored step by their part in its error: which sensor is off.</summary>
    /// <param name="step">A step scored by this detector.</param>
    /// <exception cref="ArgumentException">The step has no score, or comes from a detector with other channels.</exception>
    public AnomalyExplanation Explain(StepScore step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (!step.IsScored)
        {
            throw new ArgumentException($"Step {step.Step} has no score to explain: no window of {WindowLength} steps ends at it yet.", nameof(step));
        }

        CheckChannels(step.ChannelErrors.Count, nameof(step));
        var names = ChannelNames ?? Enumerable.Range(0, ChannelCount).Select(c => $"channel {c}").ToArray();
        return new AnomalyExplanation(step.Score, step.IsAnomaly, step.ChannelErrors.ToArray(), names, [ChannelCount]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in Models)
        {
            model.Dispose();
        }
    }

    internal SeriesLayout Layout { get; }

    internal double PValue(double score) => Conformal.PValue(_sortedCalibration, score);

    internal void CheckChannels(int found, string paramName)
    {
        if (found != ChannelCount)
        {
            var names = ChannelNames is null ? string.Empty : $" ({string.Join(", ", ChannelNames)})";
            throw new ArgumentException($"The detector was fitted on {ChannelCount} channel{(ChannelCount == 1 ? "" : "s")}{names}; this input has {found}. Give the same channels in the same order.", paramName);
        }
    }

    /// <summary>The causal step scores of steps [first, end) of already repaired inputs (raw, no post-processing).</summary>
    private static double[] CausalScores(IReadOnlyList<Autoencoder> models, SeriesLayout layout, float[,] inputs, int first)
    {
        var scorer = new WindowScorer(models, layout.InputChannels, layout.WindowLength);
        var steps = inputs.GetLength(0);
        var scores = new List<double>(steps - first);
        for (var end = first; end < steps; end++)
        {
            var window = end - first;
            scorer.Put(window, inputs, end - layout.WindowLength + 1);
            if (WindowScorer.Row(window) == WindowScorer.BlockSize - 1 || end == steps - 1)
            {
                var errors = scorer.Evaluate();
                for (var done = window - WindowScorer.Row(window); done <= window; done++)
                {
                    scores.Add(layout.StepScore(errors, WindowScorer.Row(done), layout.WindowLength - 1, out _));
                }
            }
        }

        return scores.ToArray();
    }

    /// <summary>
    /// Calibration scores as the file keeps them, in time order: float32, each rounded up, never down, so that the threshold
    /// and the p-values survive save and load bit for bit and can only become more conservative.
    /// </summary>
    private static double[] Calibration(double[] scores)
    {
        static double RoundUp(double score) => (float)score is var f && f < score ? MathF.BitIncrement(f) : f;
        var rounded = scores.Select(RoundUp).ToArray();
        return rounded.All(double.IsFinite)
            ? rounded
            : throw new InvalidOperationException(
                "The model's reconstruction errors on the training span are not finite (they overflow float32): check the data's scale, or use Scaling.Standard.");
    }

    private static (int Fit, int Calibration) Split(int steps, TimeSeriesDetectorOptions options)
    {
        var holdout = options.Threshold.HoldoutFraction;
        var calibration = holdout > 0 && steps >= 2 ? (int)RandomSplit.ValidationCount(steps, holdout) : 0;
        var fit = steps - calibration;
        if (fit < options.WindowLength)
        {
            var what = calibration > 0
                ? string.Create(CultureInfo.InvariantCulture, $" after holding out its last {calibration} steps ({holdout * 100:0.#}%) to calibrate the threshold ({options.Threshold})")
                : string.Empty;
            var needed = calibration > 0 ? (int)Math.Ceiling(options.WindowLength / (1 - holdout)) : options.WindowLength;
            throw new ArgumentException(
                $"The training span has {steps} time steps; {fit} remain to train on{what}, fewer than a window of {options.WindowLength}. " +
                $"Give at least {needed} steps, or a shorter WindowLength{(calibration > 0 ? ", or a threshold rule without a held-out part (e.g. Threshold.MaxTrainingScore())" : string.Empty)}.",
                "series");
        }

        // A false-positive rate needs enough held-out scores (split-conformal: n ≥ 1/rate − 1); say so before training.
        options.Threshold.EnsureEnoughRows(steps);
        return (fit, calibration);
    }

    private static Scaler? ChannelScaler(Scaling scaling, float[,] sensors) => scaling switch
    {
        Scaling.None => null,
        Scaling.MinMax => MinMaxScaler.Fit(sensors),
        _ => StandardScaler.Fit(sensors),
    };

    private static float[,] Slice(float[,] rows, int first, int count)
    {
        var width = rows.GetLength(1);
        var result = new float[count, width];
        Buffer.BlockCopy(rows, first * width * sizeof(float), result, 0, count * width * sizeof(float));
        return result;
    }

    private static float[,] Column(IReadOnlyList<float> values, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        var column = new float[values.Count, 1];
        for (var i = 0; i < values.Count; i++)
        {
            column[i, 0] = values[i];
        }

        return column;
    }
}
