using Autoencoders.Data;
using Autoencoders.Samples;
using Autoencoders.Tests.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoders.Tests.MLNet;

/// <summary>The shipped tabular example (480 rows of 7 pump sensors, 6 planted anomalies) as an ML.NET data view.</summary>
internal static class SensorRows
{
    public const int FeatureCount = 7;

    public static CsvTable Table => CsvReader.Read(Path.Combine(TestPaths.RepoRoot, "samples", "data", SensorsExample.FileName));

    public static IDataView Load(MLContext mlContext, CsvTable table)
    {
        var labels = SensorsExample.Labels(table.RowCount);
        var rows = Enumerable.Range(0, table.RowCount)
            .Select(i => new Row { Features = Enumerable.Range(0, FeatureCount).Select(j => table.Values[i, j]).ToArray(), Label = labels[i] ? 1f : 0f })
            .ToArray();
        return mlContext.Data.LoadFromEnumerable(rows);
    }

    public sealed class Row
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        /// <summary>1 for a planted anomaly, 0 otherwise (ML.NET's anomaly evaluator reads a Single label).</summary>
        public float Label { get; set; }
    }
}
