namespace Autoencoders.Applications;

/// <summary>The state of <see cref="SeriesPostprocessing"/> over one stream of step scores: a ring of the last W scores, a
/// ring of the last H short-term means, the suppression countdown. Memory O(W + H), time O(1) per step.</summary>
internal sealed class Postprocessor
{
    private const double MinimumDeviation = 1e-6;

    private readonly SeriesPostprocessing _options;
    private readonly double[] _recent;
    private readonly double[] _history;
    private int _recentCount;
    private int _recentNext;
    private double _recentSum;
    private int _historyCount;
    private int _historyNext;
    private double _historySum;
    private double _historySquares;
    private int _sinceRecount;
    private int _suppressed;

    public Postprocessor(SeriesPostprocessing options, IEnumerable<double> calibrationScores)
    {
        _options = options;
        _recent = new double[options.ShortWindow];
        _history = new double[options.HistoryLength];
        foreach (var score in calibrationScores)
        {
            Remember(Average(score));
        }

        // The stream's own short-term means start afresh.
        Array.Clear(_recent);
        (_recentCount, _recentNext, _recentSum) = (0, 0, 0);
    }

    /// <summary>The likelihood score of the next step score and whether it raises an alarm.</summary>
    public (double Likelihood, bool Alarm) Next(double score)
    {
        var mean = Average(score);
        var likelihood = Likelihood(mean);
        Remember(mean);
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
        if (_historyCount < 2)
        {
            return 0;
        }

        var mu = _historySum / _historyCount;
        var variance = Math.Max(0, (_historySquares / _historyCount) - (mu * mu));
        var z = (mean - mu) / Math.Max(Math.Sqrt(variance), MinimumDeviation);
        return z <= 0 ? 0 : Math.Min(1, -NormalTail.Log10UpperTail(z) / 10);
    }

    private double Average(double score)
    {
        if (_recentCount == _recent.Length)
        {
            _recentSum -= _recent[_recentNext];
        }
        else
        {
            _recentCount++;
        }

        _recent[_recentNext] = score;
        _recentSum += score;
        _recentNext = (_recentNext + 1) % _recent.Length;
        return _recentSum / _recentCount;
    }

    private void Remember(double mean)
    {
        if (_historyCount == _history.Length)
        {
            var oldest = _history[_historyNext];
            _historySum -= oldest;
            _historySquares -= oldest * oldest;
        }
        else
        {
            _historyCount++;
        }

        _history[_historyNext] = mean;
        _historySum += mean;
        _historySquares += mean * mean;
        _historyNext = (_historyNext + 1) % _history.Length;

        // Running sums drift over a long stream; recount them exactly once per history length.
        if (++_sinceRecount >= _history.Length)
        {
            _sinceRecount = 0;
            (_historySum, _historySquares) = (0, 0);
            for (var i = 0; i < _historyCount; i++)
            {
                _historySum += _history[i];
                _historySquares += _history[i] * _history[i];
            }
        }
    }
}
