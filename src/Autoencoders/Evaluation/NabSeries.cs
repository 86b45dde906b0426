namespace Autoencoders.Evaluation;

/// <summary>
/// A NAB data file: a CSV with a <c>timestamp,value</c> header and one value per row, in time order.
/// </summary>
/// <remarks>
/// <para>Timestamps are naive (no time zone) and written <c>2014-04-01 00:05:00</c>. Rows are kept in file order
/// and scored by position, as NAB does: its real files are not all strictly increasing in time
/// (<c>ec2_request_latency_system_failure</c> repeats 03:00:00 twelve times at a clock change,
/// <c>machine_temperature_system_failure</c> steps back once). Every value must be a finite number. Problems raise an <see cref="InvalidDataException"/> naming
/// the file, the line and the column.</para>
/// <example>
/// <code>
/// var series = NabSeries.Read("samples/data/nab/data/realKnownCause/nyc_taxi.csv");
/// Console.WriteLine($"{series.Count} rows from {series.Timestamps[0]} to {series.Timestamps[^1]}");
/// </code>
/// </example>
/// </remarks>
public sealed class NabSeries
{
    /// <summary>Creates a series from timestamps and values.</summary>
    /// <param name="timestamps">The rows' timestamps, in the order of the rows.</param>
    /// <param name="values">The rows' values, finite, one per timestamp.</param>
    /// <exception cref="ArgumentException">The lengths differ, the series is empty or a value is not finite.</exception>
    public NabSeries(IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(values);
        if (timestamps.Count == 0)
        {
            throw new ArgumentException("A series needs at least one row.", nameof(timestamps));
        }

        if (values.Count != timestamps.Count)
        {
            throw new ArgumentException($"{values.Count} values for {timestamps.Count} timestamps; give one value per row.", nameof(values));
        }

        for (var i = 0; i < timestamps.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"Row {i}: the value {values[i]} is not a finite number.", nameof(values));
            }
        }

        Timestamps = timestamps.ToArray();
        Values = values.ToArray();
    }

    /// <summary>The rows' timestamps, in file order.</summary>
    public IReadOnlyList<DateTime> Timestamps { get; }

    /// <summary>The rows' values.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>The number of rows.</summary>
    public int Count => Timestamps.Count;

    /// <summary>Reads a NAB data file (<c>timestamp,value</c>; a <c>.gz</c> file is decompressed).</summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The series.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A column is missing, a timestamp is unreadable, or a value is not a finite number.</exception>
    public static NabSeries Read(string path) => From(NabCsv.Read(path, "NAB data file"));

    /// <summary>Reads NAB data CSV text (<c>timestamp,value</c>) from a reader, to its end; the reader is not disposed.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <returns>The series.</returns>
    /// <exception cref="InvalidDataException">A column is missing, a timestamp is unreadable, or a value is not a finite number.</exception>
    public static NabSeries Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return From(NabCsv.Read(reader, "NAB data CSV"));
    }

    private static NabSeries From(NabCsv csv) => new(csv.Timestamps(), csv.Numbers("value"));
}
