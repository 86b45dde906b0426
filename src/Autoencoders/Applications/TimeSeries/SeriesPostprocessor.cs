namespace Autoencoders.Applications;

/// <summary>
/// Applies <see cref="SeriesPostprocessing"/> to a stream of scores, one at a time: the anomaly likelihood of each score and
/// whether it raises an alarm. A time-series detector runs one per stream; run one yourself over any causal score stream.
/// Memory O(W + H) (a ring of the last W scores and one of the last H short-term means), time O(1) per score.
/// </summary>
/// <example>
/// <code>
/// var post = new SeriesPostprocessor(SeriesPostprocessing.Default, detector.CalibrationScores);
/// foreach (var score in myScores)
/// {
///     var (likelihood, alarm) = post.Next(score);
/// }
/// </code>
/// </example>
public sealed class SeriesPostprocessor
{
    private const double MinimumDeviation = 1e-6;

    private readonly SeriesPostprocessing _options;
    private readonly SlidingRing<double> _recent;
    private readonly SlidingRing<double> _history;
    private double _recentSum;
    private double _historySum;
    private double _historySquares;
    private int _sinceRecount;
    private int _suppressed;

    /// <summary>Starts the post-processing of a new stream.</summary>
    /// <param name="options">The short window, history, alarm level and suppression.</param>
    /// <param name="calibrationScores">Clean scores, in time order, whose short-term means start the long-run history (may be
    /// empty: the likelihood is then 0 until two scores have passed).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SeriesPostprocessor(SeriesPostprocessing options, IEnumerable<double> calibrationScores)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(calibrationScores);
        options.Validate();
        _options = options;
        _recent = new SlidingRing<double>(options.ShortWindow);
        _history = new SlidingRing<double>(options.HistoryLength);
        foreach (var score in calibrationScores)
        {
            Remember(Average(score));
        }

        // The stream's own short-term means start afresh.
        _recent.Clear();
        _recentSum = 0;
    }

    /// <summary>The likelihood score of the next score, in [0, 1], and whether it raises an alarm (see
    /// <see cref="SeriesPostprocessing"/> for the formulas).</summary>
    /// <param name="score">The next score. +∞ (an error that overflowed) has likelihood 1 and leaves the averages as they
    /// were.</param>
    /// <exception cref="ArgumentOutOfRangeException">The score is NaN or −∞.</exception>
    public (double Likelihood, bool Alarm) Next(double score)
    {
        if (double.IsNaN(score) || double.IsNegativeInfinity(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "Scores must be numbers below +∞.");
        }

        double likelihood = 1;
        if (double.IsFinite(score))
        {
            var mean = Average(score);
            likelihood = Likelihood(mean);
            Remember(mean);
        }

        if (_suppressed > 0)
        {
            _suppressed--;
            return (0, false);
        }

        if (likelihood >= _options.AlarmLevel)
        {
            _suppressed = _options.SuppressionSteps;
            return (likelihood, true);
        }

        return (likelihood, false);
    }

    private double Likelihood(double mean)
    {
        if (_history.Count < 2)
        {
            return 0;
        }

        var mu = _historySum / _history.Count;
        var variance = Math.Max(0, (_historySquares / _history.Count) - (mu * mu));
        var z = (mean - mu) / Math.Max(Math.Sqrt(variance), MinimumDeviation);
        return z <= 0 ? 0 : Math.Min(1, -NormalTail.Log10UpperTail(z) / 10);
    }

    private double Average(double score)
    {
        var (evicted, oldest) = _recent.Add(score);
        _recentSum += score - (evicted ? oldest : 0);
        return _recentSum / _recent.Count;
    }

    private void Remember(double mean)
    {
        var (evicted, oldest) = _history.Add(mean);
        _historySum += mean - (evicted ? oldest : 0);
        _historySquares += (mean * mean) - (evicted ? oldest * oldest : 0);

        // Running sums drift over a long stream; recount them exactly once per history length.
        if (++_sinceRecount >= _history.Capacity)
        {
            _sinceRecount = 0;
            (_historySum, _historySquares) = (0, 0);
            for (var i = 0; i < _history.Count; i++)
            {
                _historySum += _history[i];
                _historySquares += _history[i] * _history[i];
            }
        }
    }
}
