namespace Autoencoders.Evaluation;

/// <summary>
/// One labelled file of a NAB corpus: its name, its series and its anomaly windows, resolved to rows.
/// </summary>
/// <remarks>
/// <para>A window covers the rows from the first to the last whose timestamp lies in it, both ends included (for
/// rows in time order: exactly the rows whose timestamps lie in it, as NAB resolves its label timestamps). Windows
/// are taken in time order; they may not overlap, and each must cover at least one row.</para>
/// <example>
/// <code>
/// var file = corpus["artificialWithAnomaly/art_daily_jumpsup.csv"];
/// var training = file.Series.Values.Take(file.ProbationaryLength);     // what a NAB detector may learn from
/// Range firstWindow = file.WindowRows[0];                              // e.g. values[firstWindow]
/// </code>
/// </example>
/// </remarks>
public sealed class NabFile
{
    private readonly int[] _rowWindow;
    private readonly double[] _rowCredit;

    /// <summary>Labels a series with its anomaly windows.</summary>
    /// <param name="name">The file's path relative to the corpus's <c>data</c> folder, e.g. <c>realKnownCause/nyc_taxi.csv</c>
    /// (<c>\</c> is read as <c>/</c>).</param>
    /// <param name="series">The file's rows.</param>
    /// <param name="windows">The file's anomaly windows (none for a file without anomalies).</param>
    /// <exception cref="ArgumentException">Two windows overlap, or a window covers no row of the series.</exception>
    public NabFile(string name, NabSeries series, IEnumerable<NabWindow> windows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(windows);
        Name = NormalizeName(name);
        Series = series;
        var sorted = windows.OrderBy(w => w.Start).ToArray();
        var rows = ResolveWindows(Name, series.Timestamps, sorted);
        Windows = sorted;
        WindowRows = rows;
        ProbationaryLength = NabScoring.ProbationaryLength(series.Count);
        (_rowWindow, _rowCredit) = RowCredits(series.Count, rows);
        ScoredWindowCount = rows.Count(w => w.End.Value > ProbationaryLength);
    }

    /// <summary>The file's path relative to the corpus's <c>data</c> folder, with <c>/</c> separators.</summary>
    public string Name { get; }

    /// <summary>The file's rows.</summary>
    public NabSeries Series { get; }

    /// <summary>The file's anomaly windows, in time order.</summary>
    public IReadOnlyList<NabWindow> Windows { get; }

    /// <summary>The rows each window covers, one <see cref="Range"/> per window (end exclusive, so <c>values[range]</c>
    /// gives the window's values).</summary>
    public IReadOnlyList<Range> WindowRows { get; }

    /// <summary>The number of rows at the start of the file in which detections are ignored
    /// (see <see cref="NabScoring.ProbationaryLength"/>).</summary>
    public int ProbationaryLength { get; }

    /// <summary>The number of rows.</summary>
    public int Count => Series.Count;

    /// <summary>Whether each row lies in an anomaly window (NAB's per-row label).</summary>
    /// <returns>A new array, one entry per row.</returns>
    public bool[] Labels() => _rowWindow.Select(w => w >= 0).ToArray();

    /// <summary>The windows that have a row after the probationary period: the ones that are scored. (NAB's null
    /// detector is charged for exactly these.)</summary>
    internal int ScoredWindowCount { get; }

    /// <summary>The window (index into <see cref="Windows"/>) of each row, or −1 outside every window.</summary>
    internal ReadOnlySpan<int> RowWindow => _rowWindow;

    /// <summary>What a detection at each row earns per unit of the profile's weight: positive in a window
    /// (times tpWeight), negative outside (times fpWeight). See <see cref="NabScoring"/>.</summary>
    internal ReadOnlySpan<double> RowCredit => _rowCredit;

    internal static string NormalizeName(string name) => name.Replace('\\', '/').Trim();

    private static Range[] ResolveWindows(string name, IReadOnlyList<DateTime> timestamps, NabWindow[] windows)
    {
        var rows = new Range[windows.Length];
        for (var k = 0; k < windows.Length; k++)
        {
            int first = -1, last = -1;
            for (var row = 0; row < timestamps.Count; row++)
            {
                if (windows[k].Contains(timestamps[row]))
                {
                    first = first < 0 ? row : first;
                    last = row;
                }
            }

            if (first < 0)
            {
                throw new ArgumentException(
                    $"File '{name}': anomaly window {windows[k]} covers no row (the file runs from {timestamps[0]:yyyy-MM-dd HH:mm:ss} to {timestamps[^1]:yyyy-MM-dd HH:mm:ss}).",
                    nameof(windows));
            }

            if (k > 0 && first < rows[k - 1].End.Value)
            {
                throw new ArgumentException($"File '{name}': anomaly windows {windows[k - 1]} and {windows[k]} overlap; NAB's windows are disjoint.", nameof(windows));
            }

            rows[k] = first..(last + 1);
        }

        return rows;
    }

    private static (int[] Window, double[] Credit) RowCredits(int count, Range[] windows)
    {
        var window = new int[count];
        var credit = new double[count];
        int? previousFirst = null, previousLast = null;
        var next = 0;
        for (var row = 0; row < count; row++)
        {
            if (next < windows.Length && row >= windows[next].Start.Value)
            {
                int first = windows[next].Start.Value, last = windows[next].End.Value - 1;
                window[row] = next;
                credit[row] = NabScoring.TruePositiveCredit(row, first, last);
                if (row == last)
                {
                    (previousFirst, previousLast) = (first, last);
                    next++;
                }
            }
            else
            {
                window[row] = -1;
                credit[row] = NabScoring.FalsePositiveCredit(row, previousFirst, previousLast);
            }
        }

        return (window, credit);
    }
}
