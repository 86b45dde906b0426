using System.Globalization;

namespace Autoencoders.Data;

/// <summary>The checks and repairs every entry point into the time-series code shares, with messages that name the step and
/// the channel.</summary>
internal static class SeriesChecks
{
    /// <summary>Refuses an empty series or one holding NaN/∞.</summary>
    public static void RequireFinite(float[,] series, string paramName, IReadOnlyList<string>? channelNames = null, int firstStep = 0)
    {
        RequireNonEmpty(series, paramName);
        for (var t = 0; t < series.GetLength(0); t++)
        {
            for (var c = 0; c < series.GetLength(1); c++)
            {
                if (!float.IsFinite(series[t, c]))
                {
                    throw new ArgumentException(
                        $"Step {firstStep + t}, {Channel(c, channelNames)} is {Describe(series[t, c])}; every value must be a finite number" +
                        (float.IsNaN(series[t, c]) ? " (set MissingValues.ForwardFill to fill missing values from the step before)." : "."),
                        paramName);
                }
            }
        }
    }

    /// <summary>Refuses a series without steps or channels.</summary>
    public static void RequireNonEmpty(float[,] series, string paramName)
    {
        ArgumentNullException.ThrowIfNull(series, paramName);
        if (series.GetLength(0) == 0 || series.GetLength(1) == 0)
        {
            throw new ArgumentException(
                $"The series is empty ({series.GetLength(0)} steps × {series.GetLength(1)} channels); give one row per time step and one column per channel.",
                paramName);
        }
    }

    /// <summary>
    /// Applies the missing-value policy to a copy of the series: NaN takes the channel's value at the step before
    /// (<paramref name="previous"/> before the first step, when given). Returns the series unchanged when nothing is missing.
    /// Messages count steps from <paramref name="firstStep"/> (a stream's position).
    /// </summary>
    /// <returns>The repaired series and the (step, channel) of every filled value, steps counted from <paramref name="firstStep"/>.</returns>
    public static (float[,] Series, IReadOnlyList<(int Step, int Channel)> Filled) Repair(
        float[,] series, MissingValues policy, string paramName, IReadOnlyList<string>? channelNames = null, float[]? previous = null, int firstStep = 0)
    {
        RequireNonEmpty(series, paramName);
        if (policy == MissingValues.Refuse || !HasNaN(series))
        {
            RequireFinite(series, paramName, channelNames, firstStep);
            return (series, []);
        }

        var repaired = (float[,])series.Clone();
        var filled = new List<(int, int)>();
        for (var c = 0; c < series.GetLength(1); c++)
        {
            float? last = previous?[c];
            for (var t = 0; t < series.GetLength(0); t++)
            {
                var value = series[t, c];
                if (float.IsNaN(value))
                {
                    repaired[t, c] = last ?? throw new ArgumentException(
                        $"Step {firstStep + t}, {Channel(c, channelNames)} is missing (NaN) and has no value before it to fill it from; start the series at a step where every channel has a value.",
                        paramName);
                    filled.Add((firstStep + t, c));
                }
                else if (float.IsInfinity(value))
                {
                    throw new ArgumentException($"Step {firstStep + t}, {Channel(c, channelNames)} is {Describe(value)}; every value must be a finite number.", paramName);
                }
                else
                {
                    last = value;
                }
            }
        }

        filled.Sort();
        return (repaired, filled);
    }

    /// <summary>"2 missing values forward-filled: step 12 channel 'temperature', step 40 channel 'flow'" (the first few).</summary>
    public static string DescribeFilled(IReadOnlyList<(int Step, int Channel)> filled, IReadOnlyList<string>? channelNames)
    {
        const int Shown = 5;
        var listed = string.Join(", ", filled.Take(Shown).Select(f => $"step {f.Step} {Channel(f.Channel, channelNames)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{filled.Count} missing value{(filled.Count == 1 ? "" : "s")} forward-filled from the step before: {listed}{(filled.Count > Shown ? ", …" : "")}.");
    }

    /// <summary>"channel 'temperature'" or "channel 2".</summary>
    public static string Channel(int channel, IReadOnlyList<string>? channelNames) =>
        channelNames is not null && channel < channelNames.Count ? $"channel '{channelNames[channel]}'" : $"channel {channel}";

    private static bool HasNaN(float[,] series)
    {
        foreach (var value in series)
        {
            if (float.IsNaN(value))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(float value) => float.IsNaN(value) ? "missing (NaN)" : value > 0 ? "+∞" : "−∞";
}
