namespace Autoencoders.Data;

/// <summary>A series read by <see cref="SeriesCsvReader"/>: one row per time step, one column per channel.</summary>
/// <param name="Timestamps">One timestamp per step, or null when the file has no timestamp column.</param>
/// <param name="Values">The values, [time, channels]; NaN where a cell was empty or said NaN.</param>
/// <param name="ChannelNames">The value columns' names, in order.</param>
public sealed record SeriesTable(IReadOnlyList<DateTime>? Timestamps, float[,] Values, IReadOnlyList<string> ChannelNames)
{
    /// <summary>The number of time steps.</summary>
    public int Steps => Values.GetLength(0);

    /// <summary>The number of channels.</summary>
    public int Channels => Values.GetLength(1);
}
