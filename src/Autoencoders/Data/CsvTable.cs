namespace Autoencoders.Data;

/// <summary>
/// A numeric table read by <see cref="CsvReader"/>: one name per column and the values, one row per sample.
/// </summary>
/// <param name="ColumnNames">The header's names, or "column 1", "column 2", … when the file has no header.</param>
/// <param name="Values">The values, [rows, columns].</param>
public sealed record CsvTable(IReadOnlyList<string> ColumnNames, float[,] Values)
{
    /// <summary>The number of data rows.</summary>
    public int RowCount => Values.GetLength(0);

    /// <summary>The number of columns.</summary>
    public int ColumnCount => Values.GetLength(1);
}
