using System.Globalization;

namespace Autoencoders.Data;

/// <summary>
/// Finds what is irregular in a series' timestamps: steps back in time, repeated timestamps, and gaps longer than the usual
/// step. Windows are made of consecutive steps whatever their timestamps, so each of these mixes time spans a model did not
/// learn from; they are reported as warnings, not refused (real logs have them: NAB's own files repeat an hour at a clock
/// change and step back once).
/// </summary>
internal static class TimestampChecks
{
    private const int Listed = 5;

    /// <summary>Warnings about the timestamps (none when they are regular), naming the first steps concerned (0-based).</summary>
    /// <param name="timestamps">One timestamp per step, in step order.</param>
    /// <param name="gapFactor">A step longer than this many times the median step is a gap.</param>
    public static IReadOnlyList<string> Describe(IReadOnlyList<DateTime> timestamps, double gapFactor = 1.5)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        if (timestamps.Count < 3)
        {
            return [];
        }

        var steps = new TimeSpan[timestamps.Count - 1];
        for (var i = 1; i < timestamps.Count; i++)
        {
            steps[i - 1] = timestamps[i] - timestamps[i - 1];
        }

        var median = steps.Order().ElementAt(steps.Length / 2);
        var backwards = new List<int>();
        var repeated = new List<int>();
        var gaps = new List<int>();
        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i] < TimeSpan.Zero)
            {
                backwards.Add(i + 1);
            }
            else if (steps[i] == TimeSpan.Zero)
            {
                repeated.Add(i + 1);
            }
            else if (median > TimeSpan.Zero && steps[i].Ticks > gapFactor * median.Ticks)
            {
                gaps.Add(i + 1);
            }
        }

        var warnings = new List<string>();
        if (backwards.Count > 0)
        {
            warnings.Add($"{Count(backwards.Count, "timestamp goes", "timestamps go")} back in time (step {Rows(backwards)}); steps are taken in the order given.");
        }

        if (repeated.Count > 0)
        {
            warnings.Add($"{Count(repeated.Count, "timestamp repeats", "timestamps repeat")} the step before (step {Rows(repeated)}); steps are taken in the order given.");
        }

        if (gaps.Count > 0)
        {
            var widest = gaps.MaxBy(i => steps[i - 1]);
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Count(gaps.Count, "gap", "gaps")} longer than {gapFactor:g3} × the usual step of {median} (before step {Rows(gaps)}; the longest, {steps[widest - 1]}, before step {widest}); windows across a gap join the steps on either side as if they were consecutive."));
        }

        return warnings;
    }

    private static string Count(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count} {many}";

    private static string Rows(List<int> rows) =>
        string.Join(", ", rows.Take(Listed).Select(r => r.ToString(CultureInfo.InvariantCulture))) + (rows.Count > Listed ? ", …" : "");
}
