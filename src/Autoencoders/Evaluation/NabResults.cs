namespace Autoencoders.Evaluation;

/// <summary>
/// A detector's results file in NAB's layout: a CSV with a <c>timestamp</c> and an <c>anomaly_score</c> column
/// (NAB's results also hold <c>value</c>, <c>label</c>, the detector's raw score and NAB's per-profile
/// <c>S(t)_...</c> columns, which are not needed to score it), one row per row of the data file.
/// </summary>
/// <remarks>
/// <para>NAB keeps them as <c>results/&lt;detector&gt;/&lt;category&gt;/&lt;detector&gt;_&lt;file&gt;.csv</c>;
/// <see cref="NabCorpus.ReadResults"/> reads a whole detector's folder and checks each file against the corpus.
/// A <c>.gz</c> file is decompressed.</para>
/// <example>
/// <code>
/// var htm = NabResults.Read("samples/data/nab/results/numenta/realKnownCause/numenta_nyc_taxi.csv.gz");
/// double first = htm.AnomalyScores[0];
/// </code>
/// </example>
/// </remarks>
public sealed class NabResults
{
    private NabResults(DateTime[] timestamps, double[] anomalyScores)
    {
        Timestamps = timestamps;
        AnomalyScores = anomalyScores;
    }

    /// <summary>The rows' timestamps, in file order.</summary>
    public IReadOnlyList<DateTime> Timestamps { get; }

    /// <summary>The detector's anomaly score for each row (NAB's detectors give scores in [0, 1]).</summary>
    public IReadOnlyList<double> AnomalyScores { get; }

    /// <summary>Reads a results file.</summary>
    /// <param name="path">The CSV file, or a gzip-compressed one ending in <c>.gz</c>.</param>
    /// <returns>The timestamps and anomaly scores.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A column is missing, a timestamp is unreadable, or a score is not a finite number.</exception>
    public static NabResults Read(string path) => From(NabCsv.Read(path, "NAB results file"));

    /// <summary>Reads results CSV text from a reader, to its end; the reader is not disposed.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <returns>The timestamps and anomaly scores.</returns>
    /// <exception cref="InvalidDataException">A column is missing, a timestamp is unreadable, or a score is not a finite number.</exception>
    public static NabResults Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return From(NabCsv.Read(reader, "NAB results CSV"));
    }

    private static NabResults From(NabCsv csv) => new(csv.Timestamps(), csv.Numbers("anomaly_score"));
}
