namespace Autoencoders.Data;

/// <summary>
/// Reads numeric CSV files: an optional header row, <c>,</c> or <c>;</c> between cells, numbers in the
/// invariant culture (a point as the decimal separator, e.g. <c>3.25</c> or <c>-1e-3</c>).
/// </summary>
/// <remarks>
/// <para>The separator is the one given, or else <c>;</c> when the first line holds a <c>;</c> and no
/// <c>,</c>, and <c>,</c> otherwise. The header is the one declared, or else the first line is a header
/// when any of its cells is not a number. Cells are trimmed; one pair of double quotes around a cell is
/// removed (quoted cells may not contain the separator). Blank lines are skipped.</para>
/// <para>Every problem raises an <see cref="InvalidDataException"/> that names the source, the line (1-based,
/// as an editor counts) and the column: a cell that is not a finite number, a row with more or fewer cells
/// than the first, an empty file, a header without data rows.</para>
/// <example>
/// <code>
/// CsvTable table = CsvReader.Read("sensors.csv");            // "temperature,pressure,flow" + rows
/// using var detector = AnomalyDetector.Fit(table.Values,
///     AnomalyDetectorOptions.Default with { FeatureNames = table.ColumnNames });
/// </code>
/// </example>
/// </remarks>
public static class CsvReader
{
    /// <summary>Reads a numeric CSV file.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="hasHeader">Whether the first line holds column names; detected when null.</param>
    /// <param name="separator">The cell separator (<c>,</c> or <c>;</c>); detected when null.</param>
    /// <returns>The column names and the values.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, ragged or holds a cell that is not a number.</exception>
    public static CsvTable Read(string path, bool? hasHeader = null, char? separator = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Read(reader, hasHeader, separator, $"CSV file '{path}'");
    }

    /// <summary>Reads numeric CSV text from a reader (to its end; the reader is not disposed).</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="hasHeader">Whether the first line holds column names; detected when null.</param>
    /// <param name="separator">The cell separator (<c>,</c> or <c>;</c>); detected when null.</param>
    /// <returns>The column names and the values.</returns>
    /// <exception cref="InvalidDataException">The text is empty, ragged or holds a cell that is not a number.</exception>
    public static CsvTable Read(TextReader reader, bool? hasHeader = null, char? separator = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Read(reader, hasHeader, separator, "CSV text");
    }

    private static CsvTable Read(TextReader reader, bool? hasHeader, char? separator, string source)
    {
        CsvFormat.ThrowIfInvalidSeparator(separator);
        var lines = new List<(int Number, string Text)>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                lines.Add((lineNumber, line));
            }
        }

        if (lines.Count == 0)
        {
            throw new InvalidDataException(CsvFormat.Empty(source));
        }

        var first = lines[0];
        var sep = separator ?? CsvFormat.DetectSeparator(first.Text);
        var firstCells = CsvFormat.Cells(first.Text, sep);
        var header = CsvFormat.IsHeader(firstCells, hasHeader);
        var width = firstCells.Length;
        var names = CsvFormat.ColumnNames(firstCells, header);
        var dataLines = header ? lines.Skip(1).ToList() : lines;
        if (dataLines.Count == 0)
        {
            throw new InvalidDataException($"The {source} has a header (line {first.Number}) but no data rows.");
        }

        var values = new float[dataLines.Count, width];
        var row = new float[width];
        for (var i = 0; i < dataLines.Count; i++)
        {
            var (number, text) = dataLines[i];
            var result = CsvFormat.ParseRow(text, sep, row, out var badCell);
            if (result >= 0)
            {
                throw new InvalidDataException(CsvFormat.Ragged(source, number, result, first.Number, width));
            }

            if (result < -1)
            {
                var column = -2 - result;
                throw new InvalidDataException(CsvFormat.NotANumber(source, number, column, names[column], text.AsSpan()[badCell]));
            }

            for (var j = 0; j < width; j++)
            {
                values[i, j] = row[j];
            }
        }

        return new CsvTable(Array.AsReadOnly(names), values);
    }
}
