using Autoencoders.Data;

namespace Autoencoders.Applications;

/// <summary>
/// Scores a live series point by point: each pushed point gets its score, p-value, likelihood score and alarm at
/// once, from itself and the points before it only. Memory is bounded: the last window of points, the post-processing's
/// history and, with periodic refitting, the refit history.
/// </summary>
/// <remarks>
/// The scores equal those of <see cref="TimeSeriesAnomalyDetector.Detect(float[,], IReadOnlyList{DateTime}?, StepScoring)"/>
/// on the same points, bit for bit, however the points are split into pushes. The first window length − 1 points have no
/// score. A stream is used from one thread at a time.
/// <example>
/// <code>
/// using var stream = detector.OpenStream();
/// foreach (var (time, reading) in sensorFeed)
/// {
///     var step = stream.Push(reading, time);
///     if (step.IsAnomaly) Alert(time, detector.Explain(step).Top(1)[0].Name);
/// }
/// </code>
/// </example>
/// </remarks>
public sealed class TimeSeriesStream : IDisposable
{
    private readonly TimeSeriesAnomalyDetector _origin;
    private readonly SeriesLayout _layout;
    private readonly SeriesPostprocessor? _postprocessor;
    private readonly float[,] _window;
    private readonly float[] _last;
    private readonly RefitHistory? _refitHistory;
    private readonly List<string>? _warnings;
    private TimeSeriesAnomalyDetector _current;
    private WindowScorer _scorer;
    private bool _disposed;

    /// <summary>A stream over <paramref name="detector"/>; with <paramref name="collectWarnings"/> (a whole series' detection,
    /// not a live stream, whose memory must stay bounded) it keeps the warnings about filled values and refits.</summary>
    internal TimeSeriesStream(TimeSeriesAnomalyDetector detector, bool postprocess, bool collectWarnings = false)
    {
        _warnings = collectWarnings ? [] : null;
        _origin = detector;
        _current = detector;
        _layout = detector.Layout;
        _scorer = new WindowScorer(detector.Models, _layout.InputChannels, _layout.WindowLength);
        _window = new float[_layout.WindowLength, _layout.InputChannels];
        _last = new float[_layout.Sensors];
        if (postprocess && detector.Options.Postprocessing is { } postprocessing)
        {
            _postprocessor = new SeriesPostprocessor(postprocessing, detector.CalibrationScores);
        }

        if (detector.Options.Refit is { } refit)
        {
            _refitHistory = new RefitHistory(refit.History, _layout.Sensors);
        }
    }

    /// <summary>The number of points pushed so far (the next point's step index).</summary>
    public int Count { get; private set; }

    /// <summary>The number of periodic refits so far.</summary>
    public int Refits { get; private set; }

    /// <summary>Scores the next point.</summary>
    /// <param name="point">One value per channel, in the detector's channel order.</param>
    /// <param name="timestamp">The point's time; required when the detector uses time features.</param>
    /// <returns>The point's step score.</returns>
    /// <exception cref="ArgumentException">The point has the wrong number of channels, a value is NaN/∞ (unless
    /// forward-filled), or the timestamp is missing. The stream is unchanged.</exception>
    public StepScore Push(float[] point, DateTime? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(point);
        var row = new float[1, point.Length];
        for (var c = 0; c < point.Length; c++)
        {
            row[0, c] = point[c];
        }

        return Push(row, timestamp is { } time ? [time] : null)[0];
    }

    /// <summary>Scores the next points, in order (the same scores as pushing them one by one).</summary>
    /// <param name="points">The points, [time, channels].</param>
    /// <param name="timestamps">One per point; required when the detector uses time features.</param>
    /// <returns>One step score per point.</returns>
    /// <exception cref="ArgumentException">As for <see cref="Push(float[], DateTime?)"/>; when thrown, no point of the chunk
    /// has been taken.</exception>
    public IReadOnlyList<StepScore> Push(float[,] points, IReadOnlyList<DateTime>? timestamps = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SeriesChecks.RequireNonEmpty(points, nameof(points));
        _current.CheckChannels(points.GetLength(1), nameof(points));
        var steps = points.GetLength(0);
        if (_layout.NeedsTimestamps && (timestamps is null || timestamps.Count != steps))
        {
            throw new ArgumentException($"The detector uses time features ({_layout.Features}): pass one timestamp per point ({steps}).", nameof(timestamps));
        }

        var (clean, filled) = SeriesChecks.Repair(points, _origin.Options.MissingValues, nameof(points), _layout.Names, Count > 0 ? _last : null, Count);
        if (filled.Count > 0)
        {
            _warnings?.Add(SeriesChecks.DescribeFilled(filled, _layout.Names));
        }

        var filledPerStep = new int[steps];
        foreach (var (step, _) in filled)
        {
            filledPerStep[step - Count]++;
        }

        var results = new List<StepScore>(steps);
        var pending = new List<(int Step, int Filled)>(WindowScorer.BlockSize);
        Span<float> time = stackalloc float[Math.Max(_layout.TimeChannels, 1)];
        for (var t = 0; t < steps; t++)
        {
            var slot = Count % _layout.WindowLength;
            for (var c = 0; c < _layout.Sensors; c++)
            {
                _window[slot, c] = _last[c] = clean[t, c];
            }

            if (_layout.TimeChannels > 0)
            {
                _layout.WriteTimeChannels(timestamps![t], time);
                for (var c = 0; c < _layout.TimeChannels; c++)
                {
                    _window[slot, _layout.Sensors + c] = time[c];
                }
            }

            _refitHistory?.Add(_last, timestamps?[t]);
            var step = Count++;
            var window = step - _layout.WindowLength + 1;
            if (window >= 0)
            {
                _scorer.PutFromRing(window, _window, Count % _layout.WindowLength);
                pending.Add((step, filledPerStep[t]));
                if (WindowScorer.Row(window) == WindowScorer.BlockSize - 1)
                {
                    Flush(pending, results);
                }
            }
            else
            {
                results.Add(Unscored(step, filledPerStep[t]));
            }

            if (_refitHistory is { IsFull: true } && Count % _origin.Options.Refit!.Every == 0)
            {
                Flush(pending, results);
                Refit();
            }
        }

        Flush(pending, results);
        return results;
    }

    /// <summary>Releases the models of periodic refits (not the detector's own).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!ReferenceEquals(_current, _origin))
        {
            _current.Dispose();
        }
    }

    /// <summary>The warnings gathered so far (forward-filled values, refits), cleared; none unless collected.</summary>
    internal IReadOnlyList<string> TakeWarnings()
    {
        var taken = _warnings?.ToArray() ?? [];
        _warnings?.Clear();
        return taken;
    }

    private StepScore Unscored(int step, int filled) =>
        new(step, double.NaN, double.NaN, _postprocessor is null ? null : 0.0, false, [], filled);

    private void Flush(List<(int Step, int Filled)> pending, List<StepScore> results)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var errors = _scorer.Evaluate();
        foreach (var (step, filled) in pending)
        {
            var row = WindowScorer.Row(step - _layout.WindowLength + 1);
            var score = _layout.StepScore(errors, row, _layout.WindowLength - 1, out var channelErrors);
            results.Add(Scored(step, score, channelErrors, filled));
        }

        pending.Clear();
    }

    /// <summary>The step score of a scored step: its p-value against the calibration scores, its likelihood and whether it
    /// is an anomaly. Steps must come in order (the post-processing is a stream).</summary>
    internal StepScore Scored(int step, double score, float[] channelErrors, int filled)
    {
        // A window whose error overflows float32 (a reading of 1e30, a broken model) is as anomalous as can be.
        score = double.IsNaN(score) ? double.PositiveInfinity : score;
        var pValue = _current.PValue(score);
        if (_postprocessor is null)
        {
            return new StepScore(step, score, pValue, null, score > _current.DecisionThreshold, channelErrors, filled);
        }

        var (likelihood, alarm) = _postprocessor.Next(score);
        return new StepScore(step, score, pValue, likelihood, alarm, channelErrors, filled);
    }

    private void Refit()
    {
        var (series, timestamps) = _refitHistory!.Contents();
        var refitted = TimeSeriesAnomalyDetector.Fit(series, timestamps, _origin.Options with { Refit = null });
        if (!ReferenceEquals(_current, _origin))
        {
            _current.Dispose();
        }

        _current = refitted;
        _scorer = new WindowScorer(refitted.Models, _layout.InputChannels, _layout.WindowLength);
        Refits++;
        _warnings?.AddRange(refitted.FitWarnings.Select(w => $"Refit {Refits} (after step {Count - 1}): {w}"));
    }

    /// <summary>The last points a stream keeps for refitting.</summary>
    private sealed class RefitHistory(int capacity, int channels)
    {
        private readonly SlidingRing<(float[] Values, DateTime? Time)> _points = new(capacity);

        public bool IsFull => _points.IsFull;

        public void Add(float[] point, DateTime? time) => _points.Add(((float[])point.Clone(), time));

        public (float[,] Series, DateTime[]? Timestamps) Contents()
        {
            var series = new float[_points.Count, channels];
            for (var i = 0; i < _points.Count; i++)
            {
                for (var c = 0; c < channels; c++)
                {
                    series[i, c] = _points[i].Values[c];
                }
            }

            var timed = Enumerable.Range(0, _points.Count).All(i => _points[i].Time.HasValue);
            return (series, timed ? Enumerable.Range(0, _points.Count).Select(i => _points[i].Time!.Value).ToArray() : null);
        }
    }
}
