namespace Autoencoders.Data.Streaming;

/// <summary>
/// Streams numeric CSV text with the rules of <see cref="CsvReader"/> (<see cref="CsvFormat"/>), front to
/// back on every pass. The first line is read when the source is opened (separator, header, width); a bad
/// row is reported with its line number as an editor counts it, its sample index and its column.
/// </summary>
internal sealed class CsvSource : StreamingSource
{
    private readonly Func<TextReader> open;
    private readonly char separator;
    private readonly bool header;
    private readonly long firstLine;

    private CsvSource(Func<TextReader> open, string name, char separator, bool header, long firstLine, string[] names, StreamingOptions options)
        : base(name, [names.Length], names, options, declaredCount: null)
    {
        this.open = open;
        this.separator = separator;
        this.header = header;
        this.firstLine = firstLine;
    }

    public static CsvSource Open(Func<TextReader> open, string name, bool? hasHeader, char? separator, StreamingOptions options)
    {
        CsvFormat.ThrowIfInvalidSeparator(separator);
        using var reader = open() ?? throw new InvalidOperationException($"The function that opens the {name} returned null.");
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                var sep = separator ?? CsvFormat.DetectSeparator(line);
                var cells = CsvFormat.Cells(line, sep);
                var header = CsvFormat.IsHeader(cells, hasHeader);
                return new CsvSource(open, name, sep, header, number, CsvFormat.ColumnNames(cells, header), options);
            }
        }

        throw new DataSourceException(CsvFormat.Empty(name), name);
    }

    internal override string Position(long row, int feature) => $"sample {row}, column {feature + 1} ('{FeatureNames![feature]}')";

    private protected override IEnumerable<SampleBlock> ReadChunks(int[]? order, BlockPool pool, CancellationToken cancellationToken)
    {
        var width = FeatureCount;
        using var reader = open();
        var blocks = new RowBlocks(pool, ChunkRows, width);
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (number < firstLine || (header && number == firstLine) || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var row = blocks.Row;
            var result = CsvFormat.ParseRow(line, separator, blocks.Next, out var badCell);
            if (result >= 0)
            {
                throw new DataSourceException(
                    $"{CsvFormat.Ragged(Name, number, result, firstLine, width)} (sample {row})",
                    Name,
                    row);
            }

            if (result < -1)
            {
                var column = -2 - result;
                throw new DataSourceException(
                    $"{CsvFormat.NotANumber(Name, number, column, FeatureNames![column], line.AsSpan()[badCell])} (sample {row})",
                    Name,
                    row,
                    FeatureNames[column]);
            }

            if (blocks.Add() is { } full)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return full;
            }
        }

        if (blocks.Finish() is { } last)
        {
            yield return last;
        }
    }
}
