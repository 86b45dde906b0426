using Autoencoders.Data;
using Autoencoders.Model;

namespace Autoencoders.Applications;

/// <summary>
/// How a detector's series become model inputs and errors become scores: the sensor channels, then the calendar channels
/// (<see cref="TimeFeatures"/>), over windows of <see cref="WindowLength"/> steps; a step's score is the mean of the sensor
/// channels' errors at its position in a window.
/// </summary>
internal sealed class SeriesLayout
{
    private SeriesLayout(int sensors, TimeFeatures features, int windowLength, IReadOnlyList<string>? names)
    {
        Sensors = sensors;
        Features = features;
        TimeChannels = TimeFeatureChannels.Count(features);
        WindowLength = windowLength;
        Names = names;
    }

    public int Sensors { get; }

    public TimeFeatures Features { get; }

    public int TimeChannels { get; }

    public int InputChannels => Sensors + TimeChannels;

    public int WindowLength { get; }

    public IReadOnlyList<string>? Names { get; }

    public bool NeedsTimestamps => Features != TimeFeatures.None;

    /// <summary>The layout of <paramref name="options"/> for <paramref name="sensors"/> channels, the options checked.</summary>
    public static SeriesLayout Create(TimeSeriesDetectorOptions options, int sensors, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        if (options.WindowLength < 2)
        {
            throw new ArgumentOutOfRangeException(paramName, options.WindowLength, "WindowLength must be at least 2 time steps.");
        }

        if (options.Stride < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, options.Stride, "Stride must be at least 1 time step.");
        }

        if (options.EnsembleSize < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, options.EnsembleSize, "EnsembleSize must be at least 1 model.");
        }

        if (options.ChannelNames is { } names && (names.Count != sensors || names.Any(n => n is null)))
        {
            throw new ArgumentException($"{names.Count} channel names were given for {sensors} channels ({string.Join(", ", names)}).", paramName);
        }

        if ((options.TimeFeatures & ~(TimeFeatures.TimeOfDay | TimeFeatures.DayOfWeek)) != 0)
        {
            throw new ArgumentOutOfRangeException(paramName, options.TimeFeatures, "Unknown time features.");
        }

        options.Postprocessing?.Validate();
        options.Refit?.Validate(options.WindowLength, options.Threshold);
        return new SeriesLayout(sensors, options.TimeFeatures, options.WindowLength, options.ChannelNames);
    }

    /// <summary>Refuses a spec whose input is not a window of this layout.</summary>
    public void CheckSpec(AutoencoderSpec spec, string paramName)
    {
        if (spec.InputShape.Count != 2 || spec.InputShape[0] != InputChannels || spec.InputShape[1] != WindowLength)
        {
            var features = TimeChannels > 0 ? $" ({Sensors} sensors + {TimeChannels} time-feature channels)" : string.Empty;
            throw new ArgumentException(
                $"The spec takes inputs shaped [{string.Join(", ", spec.InputShape)}]; windows here are shaped [{InputChannels}, {WindowLength}]{features}: build it with input shape [{InputChannels}, {WindowLength}].",
                paramName);
        }
    }

    /// <summary>Checks the timestamps (present when needed, one per step) and adds warnings about irregular ones.</summary>
    public void CheckTimestamps(IReadOnlyList<DateTime>? timestamps, int steps, string paramName, List<string> warnings)
    {
        if (timestamps is null)
        {
            if (NeedsTimestamps)
            {
                throw new ArgumentException($"The detector uses time features ({Features}), which are computed from timestamps: pass one timestamp per step.", paramName);
            }

            return;
        }

        if (timestamps.Count != steps)
        {
            throw new ArgumentException($"{timestamps.Count} timestamps were given for {steps} time steps; give one per step.", paramName);
        }

        warnings.AddRange(TimestampChecks.Describe(timestamps));
    }

    /// <summary>The model inputs of a (repaired) series: its sensor channels, then the time-feature channels.</summary>
    public float[,] Inputs(float[,] series, IReadOnlyList<DateTime>? timestamps)
    {
        var steps = series.GetLength(0);
        var inputs = new float[steps, InputChannels];
        Span<float> features = stackalloc float[Math.Max(TimeChannels, 1)];
        for (var t = 0; t < steps; t++)
        {
            for (var c = 0; c < Sensors; c++)
            {
                inputs[t, c] = series[t, c];
            }

            if (TimeChannels > 0)
            {
                TimeFeatureChannels.Write(Features, timestamps![t], features);
                for (var c = 0; c < TimeChannels; c++)
                {
                    inputs[t, Sensors + c] = features[c];
                }
            }
        }

        return inputs;
    }

    /// <summary>The time-feature channels of one step.</summary>
    public void WriteTimeChannels(DateTime timestamp, Span<float> destination) => TimeFeatureChannels.Write(Features, timestamp, destination);

    /// <summary>The score of the step at <paramref name="position"/> of window <paramref name="row"/>: the mean of the sensor
    /// channels' squared errors there; <paramref name="channelErrors"/> receives them.</summary>
    public double StepScore(float[,] errors, int row, int position, out float[] channelErrors)
    {
        channelErrors = new float[Sensors];
        double sum = 0;
        for (var c = 0; c < Sensors; c++)
        {
            channelErrors[c] = errors[row, (c * WindowLength) + position];
            sum += channelErrors[c];
        }

        return sum / Sensors;
    }
}
