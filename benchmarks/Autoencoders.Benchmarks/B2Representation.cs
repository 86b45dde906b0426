using System.Diagnostics;
using Autoencoders.Data;
using Autoencoders.Linear;
using Autoencoders.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>One (model, latent size) cell of B2/B3.</summary>
internal sealed record B2Cell(
    string Model,
    int Latent,
    double TestMse,
    double KnnAccuracy,
    int Epochs,
    double TrainSeconds,
    double EvaluationSeconds,
    double? FinalTrainLoss,
    double? MedianSamplesPerSecond,
    int? ActiveUnits,
    IReadOnlyList<string> Warnings);

/// <summary>
/// B2 (test MSE/pixel versus latent size) and B3 (5-NN accuracy of the codes), from the same trained
/// models: PCA, a dense AE, a conv AE and a VAE at each latent size.
/// </summary>
internal static class B2Representation
{
    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var settings = B2Settings.For(options);
        var machine = MachineInfo.Collect();
        var loads = new List<(string When, double Load)> { ("start", MachineInfo.LoadAverage()) };
        var started = DateTimeOffset.Now;
        var folder = BenchmarkData.ResolveFolder(options);
        Console.WriteLine($"b2 {(settings.Quick ? "(quick) " : string.Empty)}train {settings.TrainCount}, test {settings.TestCount}, k = {string.Join(", ", settings.Latents)}, threads {settings.Threads}; load average {loads[0].Load:F2}");

        torch.set_num_threads(settings.Threads);
        using var fashion = FashionMnist.Load(folder, maxTrain: settings.TrainCount, maxTest: settings.TestCount);
        var train = fashion.Train;
        var test = fashion.Test;
        Console.WriteLine($"data: {train.Count} training and {test.Count} test images from {folder}");
        var cells = new List<B2Cell>();

        // PCA, exact (the library's), fit on the training images.
        var pcaWatch = Stopwatch.StartNew();
        var trainMatrix = train.ToArray().ToMatrix();
        var pca = Pca.Fit(trainMatrix, threads: settings.Threads);
        var pcaFitSeconds = pcaWatch.Elapsed.TotalSeconds;
        var testMatrix = test.ToArray().ToMatrix();
        var eigenvalues = pca.ExplainedVariance.ToArray();
        foreach (var k in settings.Latents)
        {
            var watch = Stopwatch.StartNew();
            var top = pca.Truncate(k);
            var mse = top.MeanSquaredError(testMatrix);
            using var trainCodes = torch.tensor(top.Transform(trainMatrix).ToArray());
            using var testCodes = torch.tensor(top.Transform(testMatrix).ToArray());
            var knn = NearestNeighbours.Accuracy(trainCodes, train.Labels!, testCodes, test.Labels!, B2Settings.Neighbours);
            cells.Add(new B2Cell("pca", k, mse, knn, 0, pcaFitSeconds, watch.Elapsed.TotalSeconds, null, null, null, []));
            Console.WriteLine($"pca k={k,2}: test MSE/pixel {mse:F5}, 5-NN {knn:F4}");
        }

        // The latent sizes with targets (the smallest and the largest) first, and a partial report after
        // every model, so that a run cut short on a busy machine still leaves its finished cells.
        var order = settings.Latents.OrderBy(k => k == settings.Latents.Min() ? 0 : k == settings.Latents.Max() ? 1 : 2).ThenBy(k => k).ToArray();
        var planned = settings.Latents.Length * (settings.Families.Count + 1);
        foreach (var k in order)
        {
            foreach (var family in settings.Families)
            {
                cells.Add(TrainAndMeasure(family, k, settings, train, test));
                loads.Add(($"after {family.Key} k={k}", MachineInfo.LoadAverage()));
                if (cells.Count < planned)
                {
                    ResultWriter.Write(
                        B2Report.Create(settings, machine, folder, train.Count, test.Count, pcaFitSeconds, eigenvalues, cells, loads, started, DateTimeOffset.Now, partial: true),
                        options);
                }
            }
        }

        var finished = DateTimeOffset.Now;
        loads.Add(("end", MachineInfo.LoadAverage()));
        return B2Report.Create(settings, machine, folder, train.Count, test.Count, pcaFitSeconds, eigenvalues, cells, loads, started, finished);
    }

    private static B2Cell TrainAndMeasure(B2Family family, int k, B2Settings settings, InMemoryDataset train, InMemoryDataset test)
    {
        var spec = family.Build(k);
        using var model = spec.Build(settings.Seed);
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = family.Epochs,
            BatchSize = settings.BatchSize,
            LearningRate = settings.LearningRate,
            Optimizer = OptimizerKind.Adam,
            Schedule = LearningRateSchedule.Cosine(settings.MinimumLearningRate),
            Threads = settings.Threads,
            Seed = settings.Seed,
        });
        var progress = new ImmediateProgress<EpochReport>(r =>
            Console.WriteLine($"  {family.Key} k={k,2} {r}"));
        var history = trainer.Fit(model, train, progress: progress);

        var watch = Stopwatch.StartNew();
        var mse = model.MeanSquaredError(test);
        var trainCodes = model.Encode(train);
        var testCodes = model.Encode(test);
        double knn;
        using (var scope = NewDisposeScope())
        {
            knn = NearestNeighbours.Accuracy(torch.tensor(trainCodes), train.Labels!, torch.tensor(testCodes), test.Labels!, B2Settings.Neighbours);
        }

        int? active = family.Key == "vae" ? model.ActiveUnits(test) : null;
        var evaluationSeconds = watch.Elapsed.TotalSeconds;
        var last = history.Epochs[^1];
        var speeds = history.Epochs.Select(e => e.SamplesPerSecond).ToArray();
        Console.WriteLine($"{family.Key} k={k,2}: test MSE/pixel {mse:F5}, 5-NN {knn:F4}, {history.Epochs.Count} epochs in {history.Duration.TotalSeconds:F0} s{(active is { } a ? $", active units {a}/{k}" : string.Empty)}");
        return new B2Cell(family.Key, k, mse, knn, history.Epochs.Count, history.Duration.TotalSeconds, evaluationSeconds,
            last.TrainLoss, Stats.Median(speeds), active, history.Warnings);
    }
}
