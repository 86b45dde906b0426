namespace Autoencoders.Data;

/// <summary>Computes the channels of <see cref="TimeFeatures"/> for a timestamp.</summary>
internal static class TimeFeatureChannels
{
    private const double SecondsPerDay = 86_400;

    /// <summary>The number of channels the features add (two per feature).</summary>
    public static int Count(TimeFeatures features) =>
        2 * (((features & TimeFeatures.TimeOfDay) != 0 ? 1 : 0) + ((features & TimeFeatures.DayOfWeek) != 0 ? 1 : 0));

    /// <summary>Writes the channels for <paramref name="timestamp"/> into <paramref name="destination"/> (sine, cosine per feature).</summary>
    public static void Write(TimeFeatures features, DateTime timestamp, Span<float> destination)
    {
        var next = 0;
        var dayFraction = timestamp.TimeOfDay.TotalSeconds / SecondsPerDay;
        if ((features & TimeFeatures.TimeOfDay) != 0)
        {
            WritePhase(dayFraction, destination[next..]);
            next += 2;
        }

        if ((features & TimeFeatures.DayOfWeek) != 0)
        {
            var daysSinceMonday = (((int)timestamp.DayOfWeek + 6) % 7) + dayFraction;
            WritePhase(daysSinceMonday / 7, destination[next..]);
        }
    }

    private static void WritePhase(double turns, Span<float> destination)
    {
        var angle = 2 * Math.PI * turns;
        destination[0] = (float)Math.Sin(angle);
        destination[1] = (float)Math.Cos(angle);
    }
}
