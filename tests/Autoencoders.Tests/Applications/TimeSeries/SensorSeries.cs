using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Applications.TimeSeries;

/// <summary>
/// Three sensors in different units that follow a daily cycle of 24 steps (one step an hour) with noise: temperature
/// around 20 ± 5, pressure around 1000 ± 30, flow around 3 ± 1, each with its own phase.
/// </summary>
internal static class SensorSeries
{
    public static readonly string[] Names = ["temperature", "pressure", "flow"];
    public static readonly DateTime Start = new(2024, 3, 1);
    private static readonly (double Level, double Amplitude, double Phase)[] Channels = [(20, 5, 0), (1000, 30, 1.3), (3, 1, 2.6)];

    /// <summary><paramref name="steps"/> hourly readings from step <paramref name="first"/> on (so a later span continues an earlier one).</summary>
    public static float[,] Normal(int steps, int seed, int first = 0)
    {
        var random = new Random(seed);
        var series = new float[steps, Channels.Length];
        for (var t = 0; t < steps; t++)
        {
            for (var c = 0; c < Channels.Length; c++)
            {
                var (level, amplitude, phase) = Channels[c];
                var cycle = Math.Sin((2 * Math.PI * (first + t) / 24) + phase);
                series[t, c] = (float)(level + (amplitude * cycle) + (0.05 * amplitude * Synthetic.Gaussian(random)));
            }
        }

        return series;
    }

    /// <summary>One timestamp an hour from <see cref="Start"/> plus <paramref name="first"/> hours.</summary>
    public static DateTime[] Hours(int steps, int first = 0) => Enumerable.Range(first, steps).Select(h => Start.AddHours(h)).ToArray();

    /// <summary>Channel <paramref name="channel"/> of one step pushed off by <paramref name="amplitudes"/> times its daily amplitude.</summary>
    public static float[,] WithSpike(float[,] series, int step, int channel, double amplitudes = 1.5)
    {
        var copy = (float[,])series.Clone();
        copy[step, channel] += (float)(amplitudes * Channels[channel].Amplitude);
        return copy;
    }

    /// <summary>One channel only.</summary>
    public static float[] Channel(float[,] series, int channel) =>
        Enumerable.Range(0, series.GetLength(0)).Select(t => series[t, channel]).ToArray();
}
