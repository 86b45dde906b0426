// Scores the pump sensors of samples/data/sensors-example.csv with an exported anomaly detector, using
// ONNX Runtime only: no TorchSharp, no Autoencoders package. The detector (samples/data/sensors-detector.onnx,
// 4 KB) was written by
//   autoencoders detect samples/data/sensors-example.csv -o sensors.aemodel --threshold contamination:0.02 --epochs 60 --seed 42
//   autoencoders export sensors.aemodel -o samples/data/sensors-detector.onnx --part detector
// Usage: dotnet run --project samples/OnnxServing [detector.onnx] [rows.csv]
using System.Globalization;
using Microsoft.ML.OnnxRuntime;

var data = FindData();
var modelPath = args.Length > 0 ? args[0] : Path.Combine(data, "sensors-detector.onnx");
var csvPath = args.Length > 1 ? args[1] : Path.Combine(data, "sensors-example.csv");

using var options = new SessionOptions { IntraOpNumThreads = 1 };
using var session = new InferenceSession(modelPath, options);
var metadata = session.ModelMetadata.CustomMetadataMap;
Console.WriteLine($"{Path.GetFileName(modelPath)}: inputs [{string.Join(", ", session.InputNames)}], outputs [{string.Join(", ", session.OutputNames)}], threshold {metadata["autoencoders.threshold"]} ({metadata["autoencoders.threshold_rule"]})");

var lines = File.ReadAllLines(csvPath);
var features = lines[0].Split(',').Length;
var rows = lines.Skip(1).Where(l => l.Length > 0).ToArray();
var values = rows.SelectMany(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();

// One call scores every row: the batch axis is dynamic.
using var input = OrtValue.CreateTensorValueFromMemory(values, [rows.Length, features]);
using var runOptions = new RunOptions();
using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], ["score", "is_anomaly"]);
var scores = outputs[0].GetTensorDataAsSpan<float>().ToArray();
var flagged = outputs[1].GetTensorDataAsSpan<bool>().ToArray();

var anomalies = Enumerable.Range(0, rows.Length).Where(i => flagged[i]).ToArray();
Console.WriteLine($"{anomalies.Length} of {rows.Length} rows flagged (row numbers count data rows from 1):");
foreach (var i in anomalies.OrderByDescending(i => scores[i]))
{
    Console.WriteLine($"  row {i + 1,4}  score {scores[i],8:f3}");
}

return anomalies.Length > 0 ? 0 : 1;

static string FindData()
{
    foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "data");
            if (File.Exists(Path.Combine(candidate, "sensors-detector.onnx")))
            {
                return candidate;
            }
        }
    }

    throw new DirectoryNotFoundException("samples/data/sensors-detector.onnx was not found above the program's folder or the current directory; pass the model and CSV paths.");
}
