using System.Globalization;

namespace Autoencoders.Cli;

/// <summary>Writes result tables as CSV (invariant culture) to a file or to standard output.</summary>
internal static class TableWriter
{
    /// <summary>Writes a header and rows; to <paramref name="path"/> when given (atomically), else to <paramref name="stdout"/>.</summary>
    public static void Write(string? path, TextWriter stdout, IReadOnlyList<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        if (path is null)
        {
            WriteTo(stdout, header, rows);
            return;
        }

        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary))
        {
            WriteTo(writer, header, rows);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The rows of a matrix as invariant-culture strings.</summary>
    public static IEnumerable<IEnumerable<string>> Rows(float[,] values)
    {
        for (var i = 0; i < values.GetLength(0); i++)
        {
            var row = new string[values.GetLength(1)];
            for (var j = 0; j < row.Length; j++)
            {
                row[j] = Format(values[i, j]);
            }

            yield return row;
        }
    }

    /// <summary>A number in the invariant culture, round-trippable.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A float in the invariant culture, round-trippable.</summary>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteTo(TextWriter writer, IReadOnlyList<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        writer.WriteLine(string.Join(',', header.Select(Quote)));
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join(',', row.Select(Quote)));
        }
    }

    private static string Quote(string cell) =>
        cell.Contains(',', StringComparison.Ordinal) || cell.Contains('"', StringComparison.Ordinal) ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
