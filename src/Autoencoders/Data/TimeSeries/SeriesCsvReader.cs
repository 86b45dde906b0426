using System.Globalization;

namespace Autoencoders.Data;

/// <summary>
/// Reads a series from CSV: a header naming the columns, an optional timestamp column and one or more value columns, one
/// row per time step — all at once (<see cref="ReadToEnd"/>, <see cref="Read(string, string?, IReadOnlyList{string}?)"/>) or
/// row by row as lines arrive (<see cref="TryRead"/>, for live use).
/// </summary>
/// <remarks>
/// <para>Cells are separated by <c>,</c> (or <c>;</c> when the header has a <c>;</c> and no <c>,</c>), trimmed, and may be
/// wrapped in double quotes. Numbers are in the invariant culture (<c>3.25</c>, <c>-1e-3</c>). An empty cell or one that
/// says <c>NaN</c>, <c>NA</c> or <c>null</c> is a missing value: it is read as NaN, and the detector refuses or fills it
/// (<see cref="MissingValues"/>). Timestamps are ISO 8601 dates and times (<c>2014-04-01 00:05:00</c>,
/// <c>2014-04-01T00:05:00Z</c>; an offset or <c>Z</c> is converted to UTC).</para>
/// <para>The timestamp column is the one named, or else a column named timestamp, time, datetime or date (any case) if
/// there is one. The value columns are the ones named, in that order, or else every other column. Blank lines are skipped.
/// Every problem raises an <see cref="InvalidDataException"/> that names the source, the line and the column.</para>
/// <example>
/// <code>
/// SeriesTable table = SeriesCsvReader.Read("machine.csv");           // timestamp,temperature,vibration
/// using var detector = TimeSeriesAnomalyDetector.Fit(table.Values, table.Timestamps,
///     TimeSeriesDetectorOptions.Default with { ChannelNames = table.ChannelNames });
///
/// var live = new SeriesCsvReader(Console.In);                         // the header first, then a row per line
/// while (live.TryRead(out var row)) { /* stream.Push(row.Values, row.Timestamp) */ }
/// </code>
/// </example>
/// </remarks>
public sealed class SeriesCsvReader
{
    private static readonly string[] TimestampNames = ["timestamp", "time", "datetime", "date"];
    private static readonly string[] MissingWords = ["nan", "na", "null"];

    private readonly TextReader _reader;
    private readonly string _source;
    private readonly char _separator;
    private readonly int _width;
    private readonly int _timestampIndex;
    private readonly int[] _valueIndices;
    private int _line;

    /// <summary>Reads the header from <paramref name="reader"/>; the rows follow with <see cref="TryRead"/>.</summary>
    /// <param name="reader">The CSV text; not disposed.</param>
    /// <param name="timestampColumn">The timestamp column's name; null to look for a column named timestamp, time, datetime
    /// or date; empty for none.</param>
    /// <param name="valueColumns">The value columns' names, in the order wanted; null for every other column.</param>
    /// <param name="source">How messages name the text, e.g. "CSV file 'machine.csv'".</param>
    /// <exception cref="InvalidDataException">There is no header, a named column is missing, or no value column is left.</exception>
    public SeriesCsvReader(TextReader reader, string? timestampColumn = null, IReadOnlyList<string>? valueColumns = null, string source = "CSV text")
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _source = source;
        string? header;
        do
        {
            header = reader.ReadLine();
            _line++;
        }
        while (header is not null && string.IsNullOrWhiteSpace(header));

        if (header is null)
        {
            throw new InvalidDataException($"The {source} is empty: a series CSV starts with a header naming its columns.");
        }

        _separator = CsvFormat.DetectSeparator(header);
        var names = CsvFormat.Cells(header, _separator);
        _width = names.Length;
        _timestampIndex = TimestampIndex(names, timestampColumn);
        _valueIndices = valueColumns is null
            ? Enumerable.Range(0, _width).Where(i => i != _timestampIndex).ToArray()
            : valueColumns.Select(name => Find(names, name, "value")).ToArray();
        if (_valueIndices.Length == 0)
        {
            throw new InvalidDataException($"The {source} has no value column: its header ({header}) names only the timestamp.");
        }

        if (_valueIndices.Contains(_timestampIndex))
        {
            throw new InvalidDataException($"The {source}: column '{names[_timestampIndex]}' cannot be both the timestamp and a value.");
        }

        TimestampColumn = _timestampIndex >= 0 ? names[_timestampIndex] : null;
        ChannelNames = _valueIndices.Select(i => names[i].Length > 0 ? names[i] : $"column {i + 1}").ToArray();
    }

    /// <summary>The timestamp column's name, or null when the rows have no timestamps.</summary>
    public string? TimestampColumn { get; }

    /// <summary>The value columns' names: the series' channels, in order.</summary>
    public IReadOnlyList<string> ChannelNames { get; }

    /// <summary>Reads a whole series CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="timestampColumn">As for the constructor.</param>
    /// <param name="valueColumns">As for the constructor.</param>
    /// <returns>The timestamps, values and channel names.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, ragged, or holds a cell that is not a number or a timestamp.</exception>
    public static SeriesTable Read(string path, string? timestampColumn = null, IReadOnlyList<string>? valueColumns = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return new SeriesCsvReader(reader, timestampColumn, valueColumns, $"CSV file '{path}'").ReadToEnd();
    }

    /// <summary>Reads the next row; false at the end of the text. Reads only as far as the row's line, so it can follow a
    /// live feed line by line.</summary>
    /// <param name="row">The row, or null at the end.</param>
    /// <exception cref="InvalidDataException">The row has the wrong number of cells, or a cell that is not a number (or a
    /// timestamp in the timestamp column).</exception>
    public bool TryRead(out SeriesRow row)
    {
        while (_reader.ReadLine() is { } line)
        {
            _line++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = CsvFormat.Cells(line, _separator);
            if (cells.Length != _width)
            {
                throw new InvalidDataException($"The {_source}, line {_line}: {cells.Length} cells where the header names {_width} columns.");
            }

            DateTime? timestamp = _timestampIndex >= 0 ? ParseTimestamp(cells[_timestampIndex], _line) : null;
            var values = new float[_valueIndices.Length];
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = ParseValue(cells[_valueIndices[c]], _line, ChannelNames[c]);
            }

            row = new SeriesRow(_line, timestamp, values);
            return true;
        }

        row = null!;
        return false;
    }

    /// <summary>Reads every remaining row.</summary>
    /// <returns>The timestamps (null without a timestamp column), values and channel names.</returns>
    /// <exception cref="InvalidDataException">There is no row, or a row is malformed.</exception>
    public SeriesTable ReadToEnd()
    {
        var rows = new List<SeriesRow>();
        while (TryRead(out var row))
        {
            rows.Add(row);
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"The {_source} has a header but no rows.");
        }

        var values = new float[rows.Count, ChannelNames.Count];
        for (var t = 0; t < rows.Count; t++)
        {
            for (var c = 0; c < ChannelNames.Count; c++)
            {
                values[t, c] = rows[t].Values[c];
            }
        }

        var timestamps = _timestampIndex >= 0 ? rows.Select(r => r.Timestamp!.Value).ToArray() : null;
        return new SeriesTable(timestamps, values, ChannelNames);
    }

    private int TimestampIndex(string[] names, string? timestampColumn)
    {
        if (timestampColumn is null)
        {
            return Array.FindIndex(names, n => TimestampNames.Contains(n, StringComparer.OrdinalIgnoreCase));
        }

        return timestampColumn.Length == 0 ? -1 : Find(names, timestampColumn, "timestamp");
    }

    private int Find(string[] names, string name, string role)
    {
        var index = Array.FindIndex(names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? index
            : throw new InvalidDataException($"The {_source} has no {role} column '{name}'; its columns are {string.Join(", ", names.Select(n => $"'{n}'"))}.");
    }

    private DateTime ParseTimestamp(string cell, int line) =>
        DateTime.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AdjustToUniversal, out var timestamp)
            ? timestamp
            : throw new InvalidDataException(
                $"The {_source}, line {line}, column '{TimestampColumn}': '{cell}' is not a timestamp; write dates and times as 2014-04-01 00:05:00 (ISO 8601).");

    private float ParseValue(string cell, int line, string column)
    {
        if (cell.Length == 0 || MissingWords.Contains(cell, StringComparer.OrdinalIgnoreCase))
        {
            return float.NaN;
        }

        if (CsvFormat.TryParse(cell, out var value))
        {
            return value;
        }

        throw new InvalidDataException(
            $"The {_source}, line {line}, column '{column}': '{cell}' is not a finite number in the invariant culture (e.g. 3.25 or -1e-3; leave the cell empty for a missing value).");
    }
}
