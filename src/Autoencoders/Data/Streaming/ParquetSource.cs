using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace Autoencoders.Data.Streaming;

/// <summary>
/// Streams numeric columns of a Parquet file through Parquet.Net, one row group at a time and in any row-group
/// order (a row group is Parquet's unit of random access, so memory is bounded by the largest one). The
/// schema is checked when the source is opened: a missing column, a repeated one or one that is not a
/// float, double or integer column is refused by name. Nulls are refused by row and column as they are read.
/// </summary>
internal sealed class ParquetSource : StreamingSource
{
    private static readonly Type[] NumericTypes =
        [typeof(float), typeof(double), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong)];

    private readonly string path;
    private readonly DataField[] fields;
    private readonly long[] groupStarts;

    private ParquetSource(string path, DataField[] fields, long[] groupStarts, StreamingOptions options)
        : base($"Parquet file '{path}'", [fields.Length], fields.Select(f => f.Name).ToArray(), options, declaredCount: groupStarts[^1])
    {
        this.path = path;
        this.fields = fields;
        this.groupStarts = groupStarts;
    }

    internal override int? ChunkCount => groupStarts.Length - 1;

    private protected override string Detail => $" ({ChunkCount} row group{(ChunkCount == 1 ? string.Empty : "s")})";

    public static ParquetSource Open(string path, IReadOnlyList<string>? columns, StreamingOptions options)
    {
        var name = $"Parquet file '{path}'";
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The {name} does not exist.", path);
        }

        // Parquet.Net is asynchronous; run it off any synchronisation context the caller may have.
        return Task.Run(async () =>
        {
            ParquetReader reader;
            try
            {
                reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ParquetException or IOException or InvalidDataException or InvalidOperationException or NotSupportedException)
            {
                throw new DataSourceException($"The {name} could not be opened as Parquet: {e.Message}", name, innerException: e);
            }

            await using (reader.ConfigureAwait(false))
            {
                var fields = SelectColumns(name, reader.Schema, columns);
                var starts = new long[reader.RowGroupCount + 1];
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    if (group.RowCount > int.MaxValue)
                    {
                        throw new DataSourceException($"The {name}'s row group {g} holds {group.RowCount} rows; at most {int.MaxValue} are supported.", name);
                    }

                    starts[g + 1] = starts[g] + group.RowCount;
                }

                return new ParquetSource(path, fields, starts, options);
            }
        }).GetAwaiter().GetResult();
    }

    internal override string Position(long row, int feature) => $"row {row}, column '{fields[feature].Name}'";

    private protected override IEnumerable<SampleBlock> ReadChunks(int[]? order, BlockPool pool, CancellationToken cancellationToken)
    {
        var reader = ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).GetAwaiter().GetResult();
        using var closeReader = new DisposeAction(() => reader.DisposeAsync().AsTask().GetAwaiter().GetResult());
        var groups = groupStarts.Length - 1;
        for (var i = 0; i < groups; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var g = order?[i] ?? i;
            var rows = (int)(groupStarts[g + 1] - groupStarts[g]);
            if (rows == 0)
            {
                continue;
            }

            var values = pool.Rent(rows * FeatureCount);
            using (var group = reader.OpenRowGroupReader(g))
            {
                if (group.RowCount != rows)
                {
                    throw new DataSourceException(
                        $"The {Name}'s row group {g} now holds {group.RowCount} rows but held {rows} when it was opened: the file changed while being read.",
                        Name,
                        groupStarts[g]);
                }

                for (var j = 0; j < fields.Length; j++)
                {
                    ReadColumn(group, j, groupStarts[g], rows, values, cancellationToken);
                }
            }

            yield return new SampleBlock(groupStarts[g], rows, values);
        }
    }

    private static DataField[] SelectColumns(string name, ParquetSchema schema, IReadOnlyList<string>? columns)
    {
        var topLevel = schema.Fields.ToArray();
        Field[] chosen;
        if (columns is null)
        {
            chosen = topLevel;
        }
        else
        {
            if (columns.Count == 0)
            {
                throw new ArgumentException("Name at least one column, or pass null for all of them.", nameof(columns));
            }

            chosen = columns.Select(c => topLevel.FirstOrDefault(f => f.Name == c) ?? throw new DataSourceException(
                $"The {name} has no column '{c}'; its columns are {string.Join(", ", topLevel.Select(f => $"'{f.Name}'"))}.",
                name,
                column: c)).ToArray();
        }

        if (chosen.Length == 0)
        {
            throw new DataSourceException($"The {name} has no columns.", name);
        }

        var result = new DataField[chosen.Length];
        for (var j = 0; j < chosen.Length; j++)
        {
            var field = chosen[j];
            if (field is not DataField data || data.IsArray || !NumericTypes.Contains(data.ClrType))
            {
                var what = field is DataField { IsArray: true } ? "a repeated (list) column" : field is DataField d ? $"a column of {Describe(d.ClrType)} values" : $"a {field.SchemaType} column";
                throw new DataSourceException(
                    $"The {name}: column '{field.Name}' (column {j + 1} of {chosen.Length}) is {what}; only flat columns of float, double or integer values can be sample features. " +
                    "Name the numeric columns to read with the columns argument, or convert this one.",
                    name,
                    column: field.Name);
            }

            result[j] = data;
        }

        return result;
    }

    private static string Describe(Type type) =>
        type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? "text (string)"
        : type == typeof(bool) ? "Boolean"
        : type == typeof(byte[]) ? "binary"
        : type.Name;

    private void ReadColumn(ParquetRowGroupReader group, int column, long firstRow, int rows, float[] values, CancellationToken cancellationToken)
    {
        var type = fields[column].ClrType;
        if (type == typeof(float)) { Read<float>(group, column, firstRow, rows, values, cancellationToken); }
        else if (type == typeof(double)) { Read<double>(group, column, firstRow, rows, values, cancellationToken); }
        else if (type == typeof(sbyte)) { Read<sbyte>(group, column, firstRow, rows, values, cancellationToken); }
        else if (type == typeof(byte)) { Read<byte>(group, column, firstRow, rows, values, cancellationToken); }
        else if (type == typeof(short)) { Read<short>(group, column, firstRow, rows, values, cancellationToken); }
        else if (type == typeof(ushort)) { Read<ushort>(group, column, firstRow, rows, values, cancellationToken); }
        else if (type == typeof(int)) { Read<int>(group, column, firstRow, rows, values, cancellationToken); }
        else if (type == typeof(uint)) { Read<uint>(group, column, firstRow, rows, values, cancellationToken); }
        else if (type == typeof(long)) { Read<long>(group, column, firstRow, rows, values, cancellationToken); }
        else { Read<ulong>(group, column, firstRow, rows, values, cancellationToken); }
    }

    private void Read<T>(ParquetRowGroupReader group, int column, long firstRow, int rows, float[] values, CancellationToken cancellationToken)
        where T : struct, INumberBase<T>
    {
        var field = fields[column];
        var width = FeatureCount;
        if (field.IsNullable)
        {
            var buffer = new T?[rows];
            group.ReadAsync(field, buffer.AsMemory(), null, cancellationToken).AsTask().GetAwaiter().GetResult();
            for (var i = 0; i < rows; i++)
            {
                if (buffer[i] is not { } value)
                {
                    throw new DataSourceException(
                        $"The {Name}: {Position(firstRow + i, column)} is null (missing). Every value must be a number: fill in or drop the missing values first.",
                        Name,
                        firstRow + i,
                        field.Name);
                }

                values[(i * width) + column] = float.CreateTruncating(value);
            }
        }
        else
        {
            var buffer = new T[rows];
            group.ReadAsync(field, buffer.AsMemory(), null, cancellationToken).AsTask().GetAwaiter().GetResult();
            for (var i = 0; i < rows; i++)
            {
                values[(i * width) + column] = float.CreateTruncating(buffer[i]);
            }
        }
    }

    private sealed class DisposeAction(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
