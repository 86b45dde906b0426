namespace Autoencoders.Data;

/// <summary>One row of a series CSV: its line in the file, its timestamp (if the file has a timestamp column) and one value
/// per channel (NaN where the cell was empty or said NaN).</summary>
/// <param name="Line">The 1-based line number, as an editor counts.</param>
/// <param name="Timestamp">The row's timestamp, or null.</param>
/// <param name="Values">One value per channel, in the reader's channel order.</param>
public sealed record SeriesRow(int Line, DateTime? Timestamp, float[] Values);
