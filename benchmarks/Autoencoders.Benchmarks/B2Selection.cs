using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Model;
using Autoencoders.Training;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// The short runs that chose B2/B3's architectures and losses before the 50-epoch runs: every candidate
/// trains a few epochs on a subset of the training images and is judged on the validation images
/// (the last 10,000 of the training file), never on the test set.
/// </summary>
internal static class B2Selection
{
    /// <summary>One candidate: a family, a spec per latent size and a batch size.</summary>
    private sealed record Candidate(string Family, string Name, Func<int, AutoencoderSpec> Build, int BatchSize = 128);

    private sealed record Result(Candidate Candidate, int Latent, double ValidationMse, double ValidationKnn, double Seconds, double SamplesPerSecond);

    private static IReadOnlyList<Candidate> Candidates()
    {
        int[] conv = B2Settings.ConvChannels, dense = B2Settings.ConvDense, mlp = B2Settings.DenseHidden, small = B2Settings.SmallConvChannels;
        AutoencoderSpec Published(int k) => B2Settings.PublishedNetwork(k);
        return
        [
            new("conv_ae", "conv 64-128 + dense 512, MSE", Published),
            new("conv_ae", "conv 64-128 + dense 512, BCE", k => Published(k).WithLikelihood(ReconstructionLikelihood.Bernoulli)),
            new("conv_ae", "conv 64-128 + dense 512, MSE, batch 256", Published, BatchSize: 256),
            new("conv_ae", "conv 64-128 + dense 512, MSE, batch norm", k => AutoencoderSpec.Convolutional([1, 28, 28], k, conv, batchNorm: true, denseHidden: dense)),
            new("conv_ae", "conv 32-64 + dense 512, MSE", k => AutoencoderSpec.Convolutional([1, 28, 28], k, small, denseHidden: dense)),
            new("conv_ae", "conv 32-64, no dense layer, MSE, batch norm (the earlier B2 conv AE)", k => AutoencoderSpec.Convolutional([1, 28, 28], k, small, batchNorm: true)),
            new("dense_ae", "dense 512-256, MSE", k => AutoencoderSpec.Dense([1, 28, 28], k, mlp, output: OutputActivation.Sigmoid)),
            new("dense_ae", "dense 512-256, BCE", k => AutoencoderSpec.Dense([1, 28, 28], k, mlp).WithLikelihood(ReconstructionLikelihood.Bernoulli)),
            new("vae", "dense 512-256 VAE, β = 1 (the earlier B2 VAE)", k => AutoencoderSpec.Variational([1, 28, 28], k, mlp, beta: 1)),
            new("vae", "dense 512-256 VAE, β = 1/k (the published loss)", k => AutoencoderSpec.Variational([1, 28, 28], k, mlp, beta: B2Settings.PublishedBeta(k))),
            new("vae", "conv 64-128 + dense 512 VAE, β = 1/k (the published network and loss)", k => Published(k)
                .WithGaussianBottleneck(B2Settings.PublishedBeta(k)).WithLikelihood(ReconstructionLikelihood.Bernoulli)),
        ];
    }

    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var quick = options.Quick;
        int trainCount = quick ? 2_000 : 20_000, validationCount = quick ? 1_000 : 10_000, epochs = quick ? 1 : 3;
        var machine = MachineInfo.Collect();
        var loads = new List<(string When, double Load)> { ("start", MachineInfo.LoadAverage()) };
        var started = DateTimeOffset.Now;
        var folder = BenchmarkData.ResolveFolder(options);
        set_num_threads(options.Threads);
        using var data = B2Data.Load(folder, trainCount, validationCount, testCount: 1);
        Console.WriteLine($"b2-select: {epochs} epochs on {trainCount} training images, judged on {validationCount} validation images; threads {options.Threads}");

        var results = new List<Result>();
        foreach (var k in new[] { 2, 64 })
        {
            foreach (var candidate in Candidates())
            {
                using var network = candidate.Build(k).Build(BenchmarkOptions.Seed);
                var watch = Stopwatch.StartNew();
                var history = new Trainer(new TrainerOptions
                {
                    Epochs = epochs,
                    BatchSize = candidate.BatchSize,
                    LearningRate = 1e-3,
                    Schedule = LearningRateSchedule.Cosine(1e-5),
                    Threads = options.Threads,
                    Seed = BenchmarkOptions.Seed,
                }).Fit(network, data.Train);
                var seconds = watch.Elapsed.TotalSeconds;
                var mse = network.MeanSquaredError(data.Validation);
                double knn;
                using (var scope = NewDisposeScope())
                {
                    knn = NearestNeighbours.Accuracy(
                        tensor(network.Encode(data.Train)), data.Train.Labels!, tensor(network.Encode(data.Validation)), data.Validation.Labels!, B2Settings.Neighbours);
                }

                var speed = Stats.Median(history.Epochs.Select(e => e.SamplesPerSecond).ToArray());
                results.Add(new Result(candidate, k, mse, knn, seconds, speed));
                loads.Add(($"after {candidate.Name} k={k}", MachineInfo.LoadAverage()));
                Console.WriteLine($"k={k,2} {candidate.Name}: validation MSE/pixel {mse:F5}, 5-NN {knn:F4}, {seconds:F0} s ({speed:F0} samples/s, load {loads[^1].Load:F1})");
            }
        }

        return Report(quick, trainCount, validationCount, epochs, options.Threads, folder, machine, results, loads, started, DateTimeOffset.Now);
    }

    private static BenchmarkReport Report(
        bool quick,
        int trainCount,
        int validationCount,
        int epochs,
        int threads,
        string folder,
        MachineInfo machine,
        IReadOnlyList<Result> results,
        IReadOnlyList<(string When, double Load)> loads,
        DateTimeOffset started,
        DateTimeOffset finished)
    {
        var inv = CultureInfo.InvariantCulture;
        var commit = RepositoryInfo.Commit(RepositoryInfo.FindRoot());
        var md = new StringBuilder();
        md.AppendLine(inv, $"# B2/B3 settings chosen on the validation split{(quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(inv, $"Date {started:yyyy-MM-dd HH:mm zzz}, commit `{commit ?? "unknown"}`, {(finished - started).TotalMinutes:F1} min.");
        md.AppendLine(inv, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- b2-select{(quick ? " --quick" : string.Empty)} --threads {threads}`.");
        md.AppendLine();
        md.AppendLine(inv, $"Every candidate: {epochs} epochs on the first {trainCount} training images of {folder}, Adam 1e-3 with a cosine schedule to 1e-5, seed {BenchmarkOptions.Seed}, {threads} thread(s). Judged on the last {validationCount} images of the training file (validation: MSE per pixel, and 5-NN accuracy of their codes against the training images' codes). The test set is not used. Short runs rank settings by how fast they learn, which is what a fixed 50-epoch budget rewards too; they cannot show which candidate ends best after 50 epochs.");
        md.AppendLine();
        md.AppendLine(inv, $"Load average (1 min): {string.Join(", ", loads.Select(l => $"{l.When} {l.Load:F2}"))}. Times and speeds are from a shared, busy machine: compare them only within this run.");
        md.AppendLine();
        md.AppendLine("| family | candidate | k | validation MSE/pixel | validation 5-NN | training time (s) | samples/s |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results.OrderBy(r => r.Candidate.Family, StringComparer.Ordinal).ThenBy(r => r.Latent))
        {
            md.AppendLine(inv, $"| {r.Candidate.Family} | {r.Candidate.Name} | {r.Latent} | {r.ValidationMse:F5} | {r.ValidationKnn:F4} | {r.Seconds:F0} | {r.SamplesPerSecond:F0} |");
        }

        md.AppendLine();
        md.AppendLine(machine.ToMarkdown());
        var json = new JsonObject
        {
            ["benchmark"] = "B2 selection",
            ["results"] = new JsonArray([.. results.Select(r => (JsonNode?)new JsonObject
            {
                ["family"] = r.Candidate.Family,
                ["candidate"] = r.Candidate.Name,
                ["latent"] = r.Latent,
                ["batch"] = r.Candidate.BatchSize,
                ["validation_mse_per_pixel"] = r.ValidationMse,
                ["validation_knn5_accuracy"] = r.ValidationKnn,
                ["train_seconds"] = r.Seconds,
                ["median_samples_per_s"] = r.SamplesPerSecond,
            })]),
            ["settings"] = new JsonObject { ["train_images"] = trainCount, ["validation_images"] = validationCount, ["epochs"] = epochs, ["threads"] = threads, ["seed"] = BenchmarkOptions.Seed },
        }.With(machine, loads, commit, started, finished);
        return new BenchmarkReport($"B2-select-{started:yyyy-MM-dd}{(quick ? "-quick" : string.Empty)}.md", json, md.ToString());
    }
}
