using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Export;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// B1 inference through ONNX Runtime: BENCH-MLP and BENCH-CONV exported with <c>ToOnnx</c>, run by ONNX
/// Runtime beside the library's own <c>Reconstruct</c> on the same images, at the same thread count,
/// interleaved (ONNX Runtime in the batches listed, the library in its own); also the max |difference| of their outputs.
/// </summary>
internal static class OnnxInference
{
    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var settings = B1Settings.For(options);
        var folder = BenchmarkData.ResolveFolder(options);
        using var data = BenchmarkData.LoadTraining(folder, settings.Samples);
        var started = DateTime.UtcNow;
        var rows = new List<(string Network, int Batch, double Torch, double Onnx, double MaxDiff)>();
        var previousThreads = get_num_threads();
        set_num_threads(settings.Threads);
        try
        {
            foreach (var (network, batch) in new[] { (BenchNetwork.Mlp, 1024), (BenchNetwork.Conv, 256) })
            {
                rows.Add(Measure(network, batch, data, settings));
            }
        }
        finally
        {
            set_num_threads(previousThreads);
        }

        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# B1 inference through ONNX Runtime{(settings.Quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(inv, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- onnx{(settings.Quick ? " --quick" : string.Empty)}` on {started:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {settings.Threads} intra-op thread(s) for both, N = {data.Count} Fashion-MNIST images, {settings.Repetitions} interleaved timed runs each (medians), untrained weights (seed {settings.Seed}).");
        md.AppendLine();
        md.AppendLine("| network | ONNX Runtime batch | TorchSharp (library, its own batch) samples/s | ONNX Runtime samples/s | ONNX / TorchSharp | max abs output difference |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            md.AppendLine(inv, $"| {r.Network} | {r.Batch} | {r.Torch:F0} | {r.Onnx:F0} | {r.Onnx / r.Torch:F2} | {r.MaxDiff:e2} |");
        }

        var json = new JsonObject
        {
            ["benchmark"] = "onnx",
            ["quick"] = settings.Quick,
            ["threads"] = settings.Threads,
            ["samples"] = data.Count,
            ["networks"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
            {
                ["network"] = r.Network,
                ["batch"] = r.Batch,
                ["torchsharp_samples_per_s"] = r.Torch,
                ["onnxruntime_samples_per_s"] = r.Onnx,
                ["max_abs_difference"] = r.MaxDiff,
            })]),
        };
        return new BenchmarkReport($"B1-onnx-{started:yyyy-MM-dd}{(settings.Quick ? "-quick" : string.Empty)}.md", json, md.ToString());
    }

    private static (string, int, double, double, double) Measure(BenchNetwork network, int batch, Data.InMemoryDataset data, B1Settings settings)
    {
        using var model = network.BuildLibrary!(settings.Seed);
        model.eval();
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = settings.Threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        using var session = new InferenceSession(model.ToOnnx(), sessionOptions);
        var flat = data.Features.contiguous().data<float>().ToArray();
        var sampleShape = model.InputShape.Select(d => (long)d).ToArray();
        var features = model.FeatureCount;
        var onnxOutput = new float[flat.Length];

        void RunOnnx()
        {
            using var runOptions = new RunOptions();
            for (var start = 0; start < data.Count; start += batch)
            {
                var count = Math.Min(batch, data.Count - start);
                using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, flat.AsMemory(start * features, count * features), [count, .. sampleShape]);
                using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], session.OutputNames);
                outputs[0].GetTensorDataAsSpan<float>().CopyTo(onnxOutput.AsSpan(start * features));
            }
        }

        float[,] torchOutput = model.Reconstruct(data);
        RunOnnx();
        var maxDiff = torchOutput.Cast<float>().Zip(onnxOutput).Max(p => Math.Abs((double)p.First - p.Second));
        var torch = new List<double>();
        var onnx = new List<double>();
        for (var round = 0; round < settings.Repetitions; round++)
        {
            foreach (var side in round % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                GC.Collect();
                var watch = Stopwatch.StartNew();
                if (side == 0)
                {
                    GC.KeepAlive(model.Reconstruct(data));
                }
                else
                {
                    RunOnnx();
                }

                (side == 0 ? torch : onnx).Add(data.Count / watch.Elapsed.TotalSeconds);
            }
        }

        var result = (network.Name, batch, Median(torch), Median(onnx), maxDiff);
        Console.WriteLine($"{network.Name}: TorchSharp {result.Item3:F0} samples/s, ONNX Runtime {result.Item4:F0} samples/s, max |Δ| {maxDiff:e2}");
        return result;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
