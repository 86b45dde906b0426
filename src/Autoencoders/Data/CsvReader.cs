using System.Globalization;

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
        if (separator is { } given && given != ',' && given != ';')
        {
            throw new ArgumentException($"The separator must be ',' or ';', not '{given}'.", nameof(separator));
        }

        var lines = new List<(int Number, string[] Cells)>();
        var lineNumber = 0;
        char? sep = separator;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            sep ??= DetectSeparator(line);
            lines.Add((lineNumber, SplitCells(line, sep.Value)));
        }

        if (lines.Count == 0)
        {
            throw new InvalidDataException($"The {source} is empty: it holds no header and no rows.");
        }

        var first = lines[0];
        var header = hasHeader ?? first.Cells.Any(cell => !TryParse(cell, out _));
        var width = first.Cells.Length;
        var names = header
            ? first.Cells.Select((name, j) => name.Length > 0 ? name : $"column {j + 1}").ToArray()
            : Enumerable.Range(1, width).Select(j => $"column {j}").ToArray();
        var dataLines = header ? lines.Skip(1).ToList() : lines;
        if (dataLines.Count == 0)
        {
            throw new InvalidDataException($"The {source} has a header (line {first.Number}) but no data rows.");
        }

        var values = new float[dataLines.Count, width];
        for (var i = 0; i < dataLines.Count; i++)
        {
            var (number, cells) = dataLines[i];
            if (cells.Length != width)
            {
                throw new InvalidDataException(
                    $"The {source} is ragged: line {number} has {cells.Length} cells, but line {first.Number} has {width}.");
            }

            for (var j = 0; j < width; j++)
            {
                if (!TryParse(cells[j], out var value))
                {
                    var what = cells[j].Length == 0 ? "is empty" : $"holds '{cells[j]}'";
                    throw new InvalidDataException(
                        $"The {source}: line {number}, column {j + 1} ('{names[j]}') {what}, which is not a finite number in the invariant culture (e.g. 3.25 or -1e-3).");
                }

                values[i, j] = value;
            }
        }

        return new CsvTable(Array.AsReadOnly(names), values);
    }

    /// <summary><c>;</c> when the line holds a <c>;</c> and no <c>,</c>, else <c>,</c>.</summary>
    internal static char DetectSeparator(string line) =>
        line.Contains(';', StringComparison.Ordinal) && !line.Contains(',', StringComparison.Ordinal) ? ';' : ',';

    /// <summary>The line's cells, trimmed, one pair of double quotes removed from each.</summary>
    internal static string[] SplitCells(string line, char separator) => line.Split(separator).Select(Unquote).ToArray();

    private static string Unquote(string cell)
    {
        var trimmed = cell.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1].Trim() : trimmed;
    }

    private static bool TryParse(string cell, out float value) =>
        float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
}
