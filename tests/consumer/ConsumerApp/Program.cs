// The consumer test's app: what a user writes after `dotnet add package Autoencoders` and
// `dotnet add package TorchSharp-cpu`. Trains a small model on synthetic rows, saves it, reloads it
// and checks the reloaded model gives bit-identical codes. Exit code 0 when all of that works.
using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Export;
using Autoencoders.MLNet;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

const int Rows = 512, Features = 12;
var random = new Random(7);
var data = new float[Rows, Features];
for (var i = 0; i < Rows; i++)
{
    // Three latent factors mixed into twelve features, plus a little noise.
    double a = random.NextDouble(), b = random.NextDouble(), c = random.NextDouble();
    for (var j = 0; j < Features; j++)
    {
        data[i, j] = (float)((Math.Sin(j + 1) * a) + (Math.Cos(j * 0.7) * b) + (((j % 3) - 1) * c) + (0.01 * random.NextDouble()));
    }
}

var spec = AutoencoderSpec.Dense(Features, latent: 3, hidden: [16]);
using var model = spec.Build(seed: 1);
using var dataset = InMemoryDataset.FromArray(data);
var history = new Trainer(new TrainerOptions { Epochs = 5, BatchSize = 64, Seed = 1 }).Fit(model, dataset);
Console.WriteLine($"trained {history.Epochs.Count} epochs; loss {history.Epochs[0].TrainLoss:g4} -> {history.Epochs[^1].TrainLoss:g4}");

var path = Path.Combine(Path.GetTempPath(), $"consumer-{Environment.ProcessId}.aemodel");
try
{
    model.Save(path);
    using var again = Autoencoder.Load(path);
    var same = model.Encode(data).Cast<float>().SequenceEqual(again.Encode(data).Cast<float>());
    Console.WriteLine($"saved and reloaded {path}: codes identical = {same}");

    using var detector = AnomalyDetector.Fit(data, AnomalyDetectorOptions.Default with { Training = new TrainerOptions { Epochs = 3, Seed = 1 } });
    Console.WriteLine($"anomaly detector threshold {detector.DecisionThreshold:g4} ({detector.ThresholdRule})");

    // ONNX export, run by ONNX Runtime: the same decisions as the detector.
    using var session = new InferenceSession(detector.ToOnnx());
    var flat = data.Cast<float>().ToArray();
    using var input = OrtValue.CreateTensorValueFromMemory(flat, [Rows, Features]);
    using var runOptions = new RunOptions();
    using var outputs = session.Run(runOptions, ["input"], [input], ["is_anomaly"]);
    var onnxSame = outputs[0].GetTensorDataAsSpan<bool>().ToArray().SequenceEqual(detector.Predict(data));
    Console.WriteLine($"ONNX Runtime gives the detector's decisions: {onnxSame}");

    // The ML.NET package: fit in a pipeline, save, load (only ONNX inside), score.
    var mlContext = new MLContext(seed: 1).RegisterAutoencoders();
    var view = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(i => new Row { Features = Enumerable.Range(0, Features).Select(j => data[i, j]).ToArray() }));
    var pipeline = mlContext.AnomalyDetection.Trainers.Autoencoder("Features", AnomalyDetectorOptions.Default with { Training = new TrainerOptions { Epochs = 3, Seed = 1 } });
    var fitted = pipeline.Fit(view);
    var zip = Path.Combine(Path.GetTempPath(), $"consumer-{Environment.ProcessId}.zip");
    mlContext.Model.Save(fitted, view.Schema, zip);
    var reloaded = mlContext.Model.Load(zip, out _);
    File.Delete(zip);
    var mlSame = fitted.Transform(view).GetColumn<float>("Score").SequenceEqual(reloaded.Transform(view).GetColumn<float>("Score"));
    Console.WriteLine($"ML.NET pipeline saved and reloaded: scores identical = {mlSame}");
    return same && onnxSame && mlSame && history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss ? 0 : 1;
}
finally
{
    File.Delete(path);
}

/// <summary>One row of the ML.NET data view.</summary>
internal sealed class Row
{
    [VectorType(12)]
    public float[] Features { get; set; } = [];
}
