namespace Autoencoders.Data;

/// <summary>
/// A streaming <see cref="DataSource"/> could not deliver a sample: the file is truncated or corrupt, a cell
/// is not a number, a value is not finite, a column has the wrong type, or the enumerable you gave it threw.
/// The message and the properties say where: the source, the sample (row) and the column.
/// </summary>
/// <remarks>
/// When it happens during training, the trainer adds the epoch and batch; the model keeps the weights of
/// its last good step (no batch holding the bad sample reaches it), and a run with
/// <c>TrainerOptions.CheckpointPath</c> resumes from its last checkpoint once the data is repaired.
/// <example>
/// <code>
/// catch (DataSourceException e) when (e.Row is long row)
/// {
///     Console.Error.WriteLine($"{e.SourceName}: bad sample {row}, column {e.Column}: {e.Message}");
/// }
/// </code>
/// </example>
/// </remarks>
public sealed class DataSourceException : Exception
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">What is wrong, where, and what to do.</param>
    /// <param name="sourceName">The source, e.g. "CSV file 'data.csv'".</param>
    /// <param name="row">The 0-based index of the sample in the source's stored order, when one is concerned.</param>
    /// <param name="column">The column or feature concerned, when one is.</param>
    /// <param name="innerException">The exception that revealed the problem, if any.</param>
    public DataSourceException(string message, string sourceName, long? row = null, string? column = null, Exception? innerException = null)
        : base(message, innerException)
    {
        SourceName = sourceName;
        Row = row;
        Column = column;
    }

    /// <summary>The source, e.g. "IDX file '/data/train.idx'" or "the rows enumerable".</summary>
    public string SourceName { get; }

    /// <summary>The 0-based index of the sample (data row) in the source's stored order; null when no sample is concerned.</summary>
    public long? Row { get; }

    /// <summary>The column or feature concerned (a name, or "feature 12"); null when none is.</summary>
    public string? Column { get; }

    /// <summary>The same failure with <paramref name="context"/> (where the consumer was) appended to the message.</summary>
    internal DataSourceException WithContext(string context) =>
        new($"{Message.TrimEnd()} {context}", SourceName, Row, Column, this);
}
