using System.Diagnostics;
using Autoencoders.Linear;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>One (model, latent size) cell of B2/B3.</summary>
/// <param name="Model">"pca" or a family key.</param>
/// <param name="Latent">The latent size.</param>
/// <param name="TestMse">Test MSE per pixel.</param>
/// <param name="KnnAccuracy">5-NN accuracy of the test codes against the training codes.</param>
/// <param name="Trustworthiness">Trustworthiness (k = 5) of the first 10,000 training images' codes.</param>
/// <param name="EvaluationSeconds">Time to compute the metrics.</param>
/// <param name="ActiveUnits">A VAE's active latent units on the test set.</param>
/// <param name="Training">How the network was trained (null for PCA).</param>
internal sealed record B2Cell(
    string Model,
    int Latent,
    double TestMse,
    double KnnAccuracy,
    double Trustworthiness,
    double EvaluationSeconds,
    int? ActiveUnits,
    B2TrainingRecord? Training);

/// <summary>
/// B2 (test MSE/pixel versus latent size) and B3 (5-NN accuracy of the codes), from the same trained
/// networks: PCA, a dense AE, a conv AE and a VAE at each latent size. Training and evaluation are
/// separate steps: every trained network is saved under benchmarks/artifacts/ with its training record,
/// a run trains only the networks that are not saved yet (with the current settings), and
/// <c>--evaluate</c> only loads the saved networks and computes the metrics.
/// </summary>
internal static class B2Representation
{
    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var settings = B2Settings.For(options);
        var artifacts = B2Artifacts.For(settings.Quick, options.ArtifactsFolder);
        if (options.TrainLatent is { } only && !settings.Latents.Contains(only))
        {
            throw new ArgumentException($"--latent {only}: b2 trains latent sizes {string.Join(", ", settings.Latents)} only.");
        }

        if (options.TrainFamily is { } key && settings.Families.All(f => f.Key != key))
        {
            throw new ArgumentException($"--family {key}: b2's families are {string.Join(", ", settings.Families.Select(f => f.Key))}.");
        }

        var machine = MachineInfo.Collect();
        var loads = new List<(string When, double Load)> { ("start", MachineInfo.LoadAverage()) };
        var started = DateTimeOffset.Now;
        var folder = BenchmarkData.ResolveFolder(options);
        Console.WriteLine($"b2 {(settings.Quick ? "(quick) " : string.Empty)}{(options.Evaluate ? "evaluation of saved networks" : "training and evaluation")}: train {settings.TrainCount}, validation {settings.ValidationCount}, test {settings.TestCount}, k = {string.Join(", ", settings.Latents)}, {settings.Epochs} epochs, threads {settings.Threads}; networks in {artifacts.Folder}; load average {loads[0].Load:F2}");

        torch.set_num_threads(settings.Threads);
        using var data = B2Data.Load(folder, settings.TrainCount, settings.ValidationCount, settings.TestCount);
        if (!options.Evaluate)
        {
            // Family by family, cheapest first, so that a run cut short still leaves whole rows of networks.
            foreach (var family in settings.Families.Where(f => options.TrainFamily is null || f.Key == options.TrainFamily))
            {
                foreach (var k in settings.Latents.Where(k => options.TrainLatent is null || k == options.TrainLatent))
                {
                    TrainUnlessSaved(family, k, settings, data, artifacts);
                    loads.Add(($"after {family.Key} k={k}", MachineInfo.LoadAverage()));
                }
            }
        }

        var cells = Evaluate(settings, data, artifacts);
        loads.Add(("end", MachineInfo.LoadAverage()));
        return B2Report.Create(settings, machine, folder, artifacts, options.Evaluate, cells, loads, started, DateTimeOffset.Now);
    }

    /// <summary>The trainer of every B2/B3 network: a fixed number of epochs, the last weights kept.</summary>
    public static TrainerOptions Training(B2Settings settings) => new()
    {
        Epochs = settings.Epochs,
        BatchSize = settings.BatchSize,
        LearningRate = settings.LearningRate,
        Optimizer = OptimizerKind.Adam,
        Schedule = LearningRateSchedule.Cosine(settings.MinimumLearningRate),
        Threads = settings.Threads,
        Seed = settings.Seed,
        RestoreBestWeights = false,
    };

    private static void TrainUnlessSaved(B2Family family, int k, B2Settings settings, B2Data data, B2Artifacts artifacts)
    {
        var training = Training(settings);
        var fingerprint = B2Artifacts.Fingerprint(family, k, settings, training);
        if (artifacts.Read(family.Key, k) is { } saved)
        {
            if (B2Artifacts.Matches(saved.Fingerprint, fingerprint))
            {
                Console.WriteLine($"{family.Key} k={k,2}: saved with these settings ({saved.Epochs} epochs, {saved.Finished:yyyy-MM-dd HH:mm}); not retrained");
                return;
            }

            Console.WriteLine($"{family.Key} k={k,2}: saved with other settings; retraining");
        }

        using var network = family.Build(k).Build(settings.Seed);
        var epochLoads = new List<double>();
        var clock = Stopwatch.StartNew();
        var progress = new ImmediateProgress<EpochReport>(r =>
        {
            epochLoads.Add(MachineInfo.LoadAverage());
            var remaining = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / r.Epoch * (r.Epochs - r.Epoch));
            Console.WriteLine($"  {DateTimeOffset.Now:HH:mm:ss} {family.Key} k={k,2} {r}  load {epochLoads[^1]:F1}  about {remaining.TotalMinutes:F0} min left");
        });
        var history = new Trainer(training).Fit(network, data.Train, data.Validation, progress);
        var last = history.Epochs[^1];
        var record = new B2TrainingRecord(
            family.Key,
            k,
            fingerprint,
            history.Epochs.Count,
            history.Duration.TotalSeconds,
            last.TrainLoss,
            last.ValidationLoss,
            Stats.Median(history.Epochs.Select(e => e.SamplesPerSecond).ToArray()),
            history.Warnings,
            RepositoryInfo.Commit(RepositoryInfo.FindRoot()),
            DateTimeOffset.Now,
            epochLoads.Count > 0 ? epochLoads.Average() : double.NaN);
        artifacts.Write(network, record);
        Console.WriteLine($"{family.Key} k={k,2}: {record.Epochs} epochs in {record.TrainSeconds / 60:F1} min, final loss {record.FinalTrainLoss:G5} (validation {record.FinalValidationLoss:G5}); saved to {artifacts.ModelPath(family.Key, k)}");
    }

    /// <summary>PCA (refit: exact and deterministic) and every saved network, on the test set.</summary>
    private static List<B2Cell> Evaluate(B2Settings settings, B2Data data, B2Artifacts artifacts)
    {
        var cells = new List<B2Cell>();
        var trainRows = data.Train.ToArray();
        var testMatrix = data.Test.ToArray().ToMatrix();
        var trainMatrix = trainRows.ToMatrix();
        var pca = Pca.Fit(trainMatrix, components: settings.Latents.Max(), threads: settings.Threads);
        foreach (var k in settings.Latents)
        {
            var watch = Stopwatch.StartNew();
            var truncated = pca.Truncate(k);
            var mse = truncated.MeanSquaredError(testMatrix);
            var (knn, trust) = CodeMetrics(truncated.Transform(trainMatrix).ToFloatArray(), truncated.Transform(testMatrix).ToFloatArray(), trainRows, data, settings.Threads);
            cells.Add(new B2Cell("pca", k, mse, knn, trust, watch.Elapsed.TotalSeconds, null, null));
            Console.WriteLine($"pca k={k,2}: test MSE/pixel {mse:F5}, 5-NN {knn:F4}, trustworthiness {trust:F4}");
        }

        foreach (var k in settings.Latents)
        {
            foreach (var family in settings.Families)
            {
                var record = artifacts.Read(family.Key, k);
                if (record is null || !B2Artifacts.Matches(record.Fingerprint, B2Artifacts.Fingerprint(family, k, settings, Training(settings))))
                {
                    Console.WriteLine($"{family.Key} k={k,2}: {(record is null ? "no saved network" : "the saved network has other settings")} in {artifacts.Folder}; left out");
                    continue;
                }

                var watch = Stopwatch.StartNew();
                using var network = Autoencoder.Load(artifacts.ModelPath(family.Key, k));
                var mse = network.MeanSquaredError(data.Test);
                var (knn, trust) = CodeMetrics(network.Encode(data.Train), network.Encode(data.Test), trainRows, data, settings.Threads);
                int? active = network.Bottleneck is GaussianBottleneck ? network.ActiveUnits(data.Test) : null;
                cells.Add(new B2Cell(family.Key, k, mse, knn, trust, watch.Elapsed.TotalSeconds, active, record));
                Console.WriteLine($"{family.Key} k={k,2}: test MSE/pixel {mse:F5}, 5-NN {knn:F4}, trustworthiness {trust:F4}{(active is { } a ? $", active units {a}/{k}" : string.Empty)}");
            }
        }

        return cells;
    }

    /// <summary>The metrics of the codes: 5-NN accuracy (test codes against training codes) and trustworthiness.</summary>
    private static (double Knn, double Trustworthiness) CodeMetrics(float[,] trainCodes, float[,] testCodes, float[,] trainImages, B2Data data, int threads) =>
        (B2CodeMetrics.KnnAccuracy(trainCodes, data.Train, testCodes, data.Test, threads),
         B2CodeMetrics.Trustworthiness(trainImages, trainCodes, threads));
}
