namespace Autoencoders.Evaluation;

/// <summary>
/// A labelled anomaly window of a NAB file: every row whose timestamp lies from <see cref="Start"/> to
/// <see cref="End"/>, both included.
/// </summary>
/// <remarks>
/// NAB's labellers mark each anomaly with a window around it (10 % of the file's length shared among its
/// anomalies); a detector should raise one alarm, as early in the window as it can.
/// </remarks>
public readonly record struct NabWindow
{
    /// <summary>Creates a window.</summary>
    /// <param name="start">The first timestamp in the window.</param>
    /// <param name="end">The last timestamp in the window; not before <paramref name="start"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="end"/> is before <paramref name="start"/>.</exception>
    public NabWindow(DateTime start, DateTime end)
    {
        if (end < start)
        {
            throw new ArgumentException($"An anomaly window cannot end ({end:yyyy-MM-dd HH:mm:ss}) before it starts ({start:yyyy-MM-dd HH:mm:ss}).", nameof(end));
        }

        Start = start;
        End = end;
    }

    /// <summary>The first timestamp in the window.</summary>
    public DateTime Start { get; }

    /// <summary>The last timestamp in the window (included).</summary>
    public DateTime End { get; }

    /// <summary>Whether a timestamp lies in the window, its ends included.</summary>
    /// <param name="timestamp">The timestamp.</param>
    /// <returns><see langword="true"/> when <see cref="Start"/> ≤ <paramref name="timestamp"/> ≤ <see cref="End"/>.</returns>
    public bool Contains(DateTime timestamp) => Start <= timestamp && timestamp <= End;

    /// <inheritdoc />
    public override string ToString() => $"[{Start:yyyy-MM-dd HH:mm:ss}, {End:yyyy-MM-dd HH:mm:ss}]";
}
