using Autoencoders.Samples;
using System.Globalization;
using System.Text;
using Autoencoders.Applications;
using Autoencoders.Data;
using Spectre.Console;

namespace Gallery;

/// <summary>
/// Anomalies in a table: reads a numeric CSV (header = feature names), fits a detector on its rows with a
/// contamination threshold (the share of rows expected to be anomalous), and lists the flagged rows with the
/// features that contributed most to each one's reconstruction error.
/// </summary>
internal static class TabularAnomalySample
{
    private const double Contamination = 0.02;

    /// <summary>The rows (1-based data rows) that <see cref="WriteExample"/> corrupts, and how.</summary>
    public static IReadOnlyDictionary<int, string> ExampleAnomalies => SensorsExample.Anomalies;

    public static void Run(GalleryOptions options)
    {
        if (options.MakeExample is { } target)
        {
            WriteExample(target);
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(target)}: 480 rows of 7 pump sensors, {ExampleAnomalies.Count} of them corrupted (rows {string.Join(", ", ExampleAnomalies.Keys)}).");
            return;
        }

        var path = options.CsvPath ?? RepositoryData.Find(SensorsExample.FileName);
        var table = CsvReader.Read(path);
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(path)}: {table.RowCount:n0} rows × {table.ColumnCount} columns ({Markup.Escape(string.Join(", ", table.ColumnNames))})[/]");

        var epochs = options.Epochs ?? 60;
        AnomalyDetector? fitted = null;
        TrainingDisplay.Run("anomaly detector", epochs, progress =>
            fitted = AnomalyDetector.Fit(table.Values, new AnomalyDetectorOptions
            {
                FeatureNames = table.ColumnNames,
                Threshold = Threshold.Contamination(Contamination),
                Training = DefaultArchitecture.Training with { Epochs = epochs },
                Seed = 42,
            }, progress));
        using var detector = fitted!;

        var scores = detector.Score(table.Values);
        var result = new Table().AddColumns("row", "score", "top contributing features");
        var flagged = Enumerable.Range(0, scores.Length).Where(i => scores[i] > detector.DecisionThreshold).OrderByDescending(i => scores[i]).ToArray();
        foreach (var i in flagged)
        {
            var row = Enumerable.Range(0, table.ColumnCount).Select(j => table.Values[i, j]).ToArray();
            var why = detector.Explain(row).Top(3).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name} {f.Share:p0}"));
            result.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), scores[i].ToString("f2", CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", why)));
        }

        AnsiConsole.MarkupLine($"{flagged.Length} of {scores.Length} rows flagged ({Markup.Escape(detector.ThresholdRule)}, threshold {detector.DecisionThreshold:g4}); row numbers count data rows from 1:");
        AnsiConsole.Write(result);
    }

    /// <summary>
    /// Writes the example CSV: a pump's seven sensors driven by two hidden factors (load, ambient
    /// temperature) plus noise, with the rows in <see cref="ExampleAnomalies"/> corrupted. Deterministic (seed 2026).
    /// </summary>
    public static void WriteExample(string path)
    {
        var random = new Random(2026);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var text = new StringBuilder("rpm,flow_l_min,pressure_bar,power_kw,inlet_temp_c,outlet_temp_c,vibration_mm_s\n");
        for (var row = 1; row <= 480; row++)
        {
            var load = 0.3 + (0.7 * random.NextDouble());
            var ambient = 15 + (10 * random.NextDouble());
            double rpm = 1500 * load, flow = 120 * load, pressure = 1 + (5 * load * load), power = 2 + (20 * load * load * load);
            double inlet = ambient, outlet = ambient + 2 + (6 * load), vibration = 0.8 + (2 * load);
            switch (row)
            {
                case 57: vibration *= 4; break;
                case 123: outlet = inlet - 3; break;
                case 201: power *= 2.2; break;
                case 288: pressure = 1 + (5 * 0.95 * 0.95); flow = 120 * 0.35; break;
                case 350: rpm *= 2; break;
                case 417: rpm *= 1.12; flow *= 0.88; pressure *= 1.15; power *= 0.85; outlet += 2.5; vibration *= 1.3; break;
            }

            double[] values = [rpm + (10 * Gaussian()), flow + Gaussian(), pressure + (0.05 * Gaussian()), power + (0.2 * Gaussian()), inlet + (0.2 * Gaussian()), outlet + (0.2 * Gaussian()), vibration + (0.05 * Gaussian())];
            text.AppendLine(string.Join(',', values.Select(v => v.ToString("f3", CultureInfo.InvariantCulture))));
        }

        File.WriteAllText(path, text.ToString());
    }
}
