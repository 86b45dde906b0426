using System.Globalization;

namespace Autoencoders.Data;

/// <summary>
/// The one owner of the numeric CSV rules and their messages, shared by <see cref="CsvReader"/> and the
/// streaming CSV source: separator detection, header detection, cell trimming and unquoting, number parsing.
/// </summary>
internal static class CsvFormat
{
    public static void ThrowIfInvalidSeparator(char? separator)
    {
        if (separator is { } given && given != ',' && given != ';')
        {
            throw new ArgumentException($"The separator must be ',' or ';', not '{given}'.", nameof(separator));
        }
    }

    /// <summary><c>;</c> when the first line holds a <c>;</c> and no <c>,</c>; <c>,</c> otherwise.</summary>
    public static char DetectSeparator(string firstLine) =>
        firstLine.Contains(';', StringComparison.Ordinal) && !firstLine.Contains(',', StringComparison.Ordinal) ? ';' : ',';

    /// <summary>A line's cells, trimmed and unquoted.</summary>
    public static string[] Cells(string line, char separator) => line.Split(separator).Select(c => Unquote(c.AsSpan()).ToString()).ToArray();

    /// <summary>Whether the first line is a header: the one declared, or else whether any cell is not a number.</summary>
    public static bool IsHeader(string[] firstCells, bool? hasHeader) => hasHeader ?? firstCells.Any(cell => !TryParse(cell, out _));

    /// <summary>The columns' names: the header's (blank ones numbered), or "column 1", "column 2", ….</summary>
    public static string[] ColumnNames(string[] firstCells, bool header) => header
        ? firstCells.Select((name, j) => name.Length > 0 ? name : $"column {j + 1}").ToArray()
        : Enumerable.Range(1, firstCells.Length).Select(j => $"column {j}").ToArray();

    /// <summary>A cell trimmed, with one pair of surrounding double quotes removed (and trimmed again).</summary>
    public static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell)
    {
        var trimmed = cell.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1].Trim() : trimmed;
    }

    /// <summary>Parses a finite number in the invariant culture.</summary>
    public static bool TryParse(ReadOnlySpan<char> cell, out float value) =>
        float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    /// <summary>
    /// Parses the cells of a data line into <paramref name="destination"/> (its length is the expected
    /// width). Returns the number of cells when that differs from the width (a ragged line), otherwise −1
    /// when every cell parsed, or the index of the first cell that did not as −2 − index.
    /// </summary>
    public static int ParseRow(ReadOnlySpan<char> line, char separator, Span<float> destination, out Range badCell)
    {
        badCell = default;
        var column = 0;
        var start = 0;
        var badColumn = -1;
        while (true)
        {
            var length = line[start..].IndexOf(separator);
            var end = length < 0 ? line.Length : start + length;
            if (column < destination.Length && badColumn < 0)
            {
                if (!TryParse(Unquote(line[start..end]), out destination[column]))
                {
                    badColumn = column;
                    badCell = start..end;
                }
            }

            column++;
            if (length < 0)
            {
                break;
            }

            start = end + 1;
        }

        return column != destination.Length ? column : badColumn < 0 ? -1 : -2 - badColumn;
    }

    public static string Empty(string source) => $"The {source} is empty: it holds no header and no rows.";

    public static string Ragged(string source, long line, int cells, long firstLine, int width) =>
        $"The {source} is ragged: line {line} has {cells} cells, but line {firstLine} has {width}.";

    public static string NotANumber(string source, long line, int column, string name, ReadOnlySpan<char> cell)
    {
        var text = Unquote(cell).ToString();
        var what = text.Length == 0 ? "is empty" : $"holds '{text}'";
        return $"The {source}: line {line}, column {column + 1} ('{name}') {what}, which is not a finite number in the invariant culture (e.g. 3.25 or -1e-3).";
    }
}
