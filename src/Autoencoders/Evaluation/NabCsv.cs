using System.Globalization;
using System.IO.Compression;

namespace Autoencoders.Evaluation;

/// <summary>
/// The CSV layout NAB's series and results files share: a header naming the columns, <c>,</c> between cells,
/// a timestamp column, numbers in the invariant culture; a <c>.gz</c> file is read through gzip.
/// </summary>
internal sealed class NabCsv
{
    private NabCsv(string source, string[] header, List<(int Line, string[] Cells)> rows)
    {
        Source = source;
        Header = header;
        Rows = rows;
    }

    public string Source { get; }

    public string[] Header { get; }

    public List<(int Line, string[] Cells)> Rows { get; }

    public static NabCsv Read(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = File.OpenRead(path);
        using Stream content = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        using var reader = new StreamReader(content);
        return Read(reader, $"{what} '{path}'");
    }

    public static NabCsv Read(TextReader reader, string source)
    {
        string[]? header = null;
        var rows = new List<(int, string[])>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = line.Split(',');
            if (header is null)
            {
                header = cells.Select(c => c.Trim().Trim('"')).ToArray();
            }
            else if (cells.Length != header.Length)
            {
                throw new InvalidDataException($"The {source}, line {lineNumber}: {cells.Length} cells where the header names {header.Length} columns.");
            }
            else
            {
                rows.Add((lineNumber, cells));
            }
        }

        if (header is null || rows.Count == 0)
        {
            throw new InvalidDataException($"The {source} holds no data rows below a header.");
        }

        return new NabCsv(source, header, rows);
    }

    public int Column(string name)
    {
        var index = Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? index
            : throw new InvalidDataException($"The {Source} has no '{name}' column (its header: {string.Join(",", Header)}).");
    }

    /// <summary>The timestamp column, in file order (NAB's real files hold a few repeated timestamps and one step back).</summary>
    public DateTime[] Timestamps(string column = "timestamp")
    {
        var index = Column(column);
        var timestamps = new DateTime[Rows.Count];
        for (var i = 0; i < Rows.Count; i++)
        {
            var (line, cells) = Rows[i];
            timestamps[i] = NabTimestamp.Parse(cells[index], $"The {Source}, line {line}, column '{column}'");
        }

        return timestamps;
    }

    /// <summary>A column of finite numbers.</summary>
    public double[] Numbers(string column)
    {
        var index = Column(column);
        var values = new double[Rows.Count];
        for (var i = 0; i < Rows.Count; i++)
        {
            var (line, cells) = Rows[i];
            var text = cells[index].Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new InvalidDataException($"The {Source}, line {line}, column '{column}': '{text}' is not a finite number.");
            }
        }

        return values;
    }
}
