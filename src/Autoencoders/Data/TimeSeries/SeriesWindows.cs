namespace Autoencoders.Data;

/// <summary>
/// Materialises the sliding windows of a series as samples: a series is a <c>float[time, channels]</c> array
/// (one row per time step, one column per channel), and each window becomes one sample shaped
/// <c>[channels, length]</c>, channel by channel, as 1-D convolutions take it.
/// </summary>
/// <remarks>
/// Which steps a window holds is <see cref="SlidingWindows"/>' business; this class only copies them. A dense
/// model sees the flattened window (channel 0's steps, then channel 1's, …).
/// <example>
/// <code>
/// float[,] series = …;                                         // [time, channels]
/// using var windows = SeriesWindows.ToDataset(series, new SlidingWindows(length: 32, stride: 4));
/// // windows.SampleShape is [channels, 32]
/// </code>
/// </example>
/// </remarks>
public static class SeriesWindows
{
    /// <summary>Every window of a series, in order, as a dataset of samples shaped <c>[channels, length]</c>.</summary>
    /// <param name="series">The series, <c>[time, channels]</c>, finite.</param>
    /// <param name="windows">The windows to take.</param>
    /// <returns>A new dataset; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The series is shorter than a window, empty, or holds NaN/∞ (the message names the
    /// step and the channel).</exception>
    public static InMemoryDataset ToDataset(float[,] series, SlidingWindows windows)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(windows);
        return ToDataset(series, windows, 0..windows.Count(series.GetLength(0)));
    }

    /// <summary>Some windows of a series (a range of window indices), in order, as samples shaped <c>[channels, length]</c>.</summary>
    /// <param name="series">The series, <c>[time, channels]</c>, finite.</param>
    /// <param name="windows">The windows.</param>
    /// <param name="indices">Which windows, e.g. <c>0..100</c>; at least one.</param>
    /// <returns>A new dataset; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The series is shorter than a window, empty, holds NaN/∞, or the range selects no window
    /// or windows the series does not have.</exception>
    public static InMemoryDataset ToDataset(float[,] series, SlidingWindows windows, Range indices)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(windows);
        int steps = series.GetLength(0), channels = series.GetLength(1);
        SeriesChecks.RequireFinite(series, nameof(series));
        var count = windows.Count(steps);
        if (count == 0)
        {
            throw new ArgumentException(
                $"The series has {steps} time steps, fewer than a window of {windows.Length}: give at least {windows.Length} steps or use shorter windows.",
                nameof(series));
        }

        var (first, length) = GetOffsetAndLength(indices, count, nameof(indices));
        var samples = new float[length, channels * windows.Length];
        for (var i = 0; i < length; i++)
        {
            CopyWindow(series, windows.Start(first + i, steps), windows.Length, samples, i);
        }

        return InMemoryDataset.FromArray(samples, [channels, windows.Length]);
    }

    /// <summary>Copies the steps [start, start + length) of every channel into row <paramref name="row"/> of
    /// <paramref name="samples"/>, channel by channel.</summary>
    internal static void CopyWindow(float[,] series, int start, int length, float[,] samples, int row)
    {
        var channels = series.GetLength(1);
        for (var c = 0; c < channels; c++)
        {
            for (var t = 0; t < length; t++)
            {
                samples[row, (c * length) + t] = series[start + t, c];
            }
        }
    }

    private static (int Offset, int Length) GetOffsetAndLength(Range indices, int count, string paramName)
    {
        int first = indices.Start.GetOffset(count), end = indices.End.GetOffset(count);
        if (first < 0 || end > count || end <= first)
        {
            throw new ArgumentException($"The range {indices} selects no window of the {count} the series has.", paramName);
        }

        return (first, end - first);
    }
}
