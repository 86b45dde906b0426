using System.Globalization;
using Autoencoders.Data;
using Parquet;
using Parquet.Schema;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Data;

/// <summary>The same rows as every kind of source, and ways to read a source back, for the streaming tests.</summary>
internal static class StreamFiles
{
    /// <summary>The kinds of source <see cref="Open"/> makes.</summary>
    public static readonly string[] Kinds = ["memory", "enumerable", "async-enumerable", "idx-raw", "idx-gzip", "csv", "parquet"];

    /// <summary>N rows of F features where feature 0 of row i is i (so rows can be identified).</summary>
    public static float[,] Numbered(int n, int f)
    {
        var rows = new float[n, f];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < f; j++)
            {
                rows[i, j] = j == 0 ? i : (i * 0.25f) - (j * 1.5f);
            }
        }

        return rows;
    }

    public static float[] Row(float[,] rows, int i) => Enumerable.Range(0, rows.GetLength(1)).Select(j => rows[i, j]).ToArray();

    public static IEnumerable<float[]> Rows(float[,] rows)
    {
        for (var i = 0; i < rows.GetLength(0); i++)
        {
            yield return Row(rows, i);
        }
    }

    public static async IAsyncEnumerable<float[]> RowsAsync(float[,] rows)
    {
        for (var i = 0; i < rows.GetLength(0); i++)
        {
            if (i % 7 == 0)
            {
                await Task.Yield();
            }

            yield return Row(rows, i);
        }
    }

    public static void WriteIdx(string path, float[,] rows, bool gzip, long[]? sampleShape = null)
    {
        int[] dims = [rows.GetLength(0), .. (sampleShape ?? [rows.GetLength(1)]).Select(d => (int)d)];
        IdxWriter.Write(path, new IdxArray(IdxElementType.Single, dims, rows.Cast<float>().ToArray()), gzip);
    }

    public static void WriteCsv(string path, float[,] rows)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(",", Enumerable.Range(0, rows.GetLength(1)).Select(j => $"f{j}")));
        for (var i = 0; i < rows.GetLength(0); i++)
        {
            writer.WriteLine(string.Join(",", Row(rows, i).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
    }

    /// <summary>One float column per feature, <paramref name="rowGroup"/> rows per row group.</summary>
    public static void WriteParquet(string path, float[,] rows, int rowGroup)
    {
        var fields = Enumerable.Range(0, rows.GetLength(1)).Select(j => new DataField<float>($"f{j}")).ToArray();
        WriteParquet(path, new ParquetSchema(fields), rows.GetLength(0), rowGroup, async (group, start, count) =>
        {
            for (var j = 0; j < fields.Length; j++)
            {
                var column = Enumerable.Range(start, count).Select(i => rows[i, j]).ToArray();
                await group.WriteAsync<float>(fields[j], column);
            }
        });
    }

    public static void WriteParquet(string path, ParquetSchema schema, int rows, int rowGroup, Func<ParquetRowGroupWriter, int, int, Task> writeGroup)
    {
        Task.Run(async () =>
        {
            await using var file = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(schema, file);
            for (var start = 0; start < rows; start += rowGroup)
            {
                using var group = writer.CreateRowGroup();
                await writeGroup(group, start, Math.Min(rowGroup, rows - start));
            }
        }).GetAwaiter().GetResult();
    }

    /// <summary>The rows as a source of the given kind (files under <paramref name="folder"/>).</summary>
    public static DataSource Open(string kind, float[,] rows, string folder, StreamingOptions? options = null, long[]? sampleShape = null)
    {
        long[] shape = sampleShape ?? [rows.GetLength(1)];
        switch (kind)
        {
            case "memory":
                return InMemoryDataset.FromArray(rows, shape);
            case "enumerable":
                return DataSource.FromEnumerable(Rows(rows), shape, options);
            case "async-enumerable":
                return DataSource.FromAsyncEnumerable(RowsAsync(rows), shape, options);
            case "idx-raw":
            case "idx-gzip":
                var idx = Path.Combine(folder, kind + ".idx");
                WriteIdx(idx, rows, kind == "idx-gzip", sampleShape);
                return DataSource.FromIdx(idx, options: options);
            case "csv":
                var csv = Path.Combine(folder, "rows.csv");
                WriteCsv(csv, rows);
                return DataSource.FromCsv(csv, options: options);
            case "parquet":
                var parquet = Path.Combine(folder, "rows.parquet");
                WriteParquet(parquet, rows, rowGroup: options?.ChunkSize ?? 1000);
                return DataSource.FromParquet(parquet, options: options);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Every sample of one epoch, in the order the batches deliver them, flattened.</summary>
    public static List<float[]> Epoch(DataSource source, int batchSize, bool shuffle, torch.Generator? generator = null)
    {
        var rows = new List<float[]>();
        foreach (var batch in source.Batches(batchSize, shuffle, generator))
        {
            using (batch)
            {
                batch.shape[0].Should().BeLessThanOrEqualTo(batchSize);
                var flat = batch.reshape(batch.shape[0], -1);
                for (var i = 0; i < flat.shape[0]; i++)
                {
                    rows.Add(flat[i].data<float>().ToArray());
                }
            }
        }

        return rows;
    }

    /// <summary>The row ids (feature 0) of an epoch.</summary>
    public static long[] Ids(DataSource source, int batchSize, bool shuffle, torch.Generator? generator = null) =>
        Epoch(source, batchSize, shuffle, generator).Select(r => (long)r[0]).ToArray();
}
