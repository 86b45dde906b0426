using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// B6: test negative ELBO and IWAE NLL estimates of a dense VAE (784-500-(20)-500-784, Bernoulli
/// likelihood on logits) trained on dynamically binarised Fashion-MNIST.
/// </summary>
/// <remarks>
/// Dynamic binarisation: the training set is a binarised copy of the grey images, x ~ Bernoulli(intensity)
/// per pixel, drawn from a seeded generator; after every epoch the progress callback of
/// <c>Trainer.Fit</c> (which runs synchronously between epochs) redraws the copy in place, so each epoch
/// sees a fresh binarisation while one Adam state carries across all epochs. The test set is binarised once
/// with a fixed seed.
/// </remarks>
internal static class B6Likelihood
{
    private const int Latent = 20;
    private const int Hidden = 500;
    private const long TrainBinarisationSeed = 1001;
    private const long TestBinarisationSeed = 2002;
    private const long EvaluationSeed = 3003;

    /// <summary>The time the larger IWAE k may take on a shared 2-core machine, predicted from the smaller k.</summary>
    private const double MaxLargeKSeconds = 900;

    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var quick = options.Quick;
        var (trainCount, testCount, epochs) = quick ? (5_000, 1_000, 3) : (60_000, 10_000, 20);
        int[] importanceSamples = quick ? [10, 100] : [100, 1000];
        var machine = MachineInfo.Collect();
        var loads = new List<(string When, double Load)> { ("start", MachineInfo.LoadAverage()) };
        var started = DateTimeOffset.Now;
        var folder = BenchmarkData.ResolveFolder(options);
        Console.WriteLine($"b6 {(quick ? "(quick) " : string.Empty)}train {trainCount}, test {testCount}, {epochs} epochs, IWAE k = {string.Join(", ", importanceSamples)}, threads {options.Threads}; load average {loads[0].Load:F2}");
        torch.set_num_threads(options.Threads);

        using var fashion = FashionMnist.Load(folder, maxTrain: trainCount, maxTest: testCount);
        using var trainGenerator = new torch.Generator(unchecked((ulong)TrainBinarisationSeed));
        using var testGenerator = new torch.Generator(unchecked((ulong)TestBinarisationSeed));
        using var train = Binarise(fashion.Train, trainGenerator);
        using var test = Binarise(fashion.Test, testGenerator);

        var spec = AutoencoderSpec.Variational([1, 28, 28], Latent, [Hidden], beta: 1.0);
        using var model = (VariationalAutoencoder)spec.Build(BenchmarkOptions.Seed);
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 128,
            LearningRate = 1e-3,
            Optimizer = OptimizerKind.Adam,
            Threads = options.Threads,
            Seed = BenchmarkOptions.Seed,
        });
        var resamples = 0;
        var progress = new ImmediateProgress<EpochReport>(report =>
        {
            Console.WriteLine($"  {report}");
            if (report.Epoch < report.Epochs)
            {
                Resample(fashion.Train, train, trainGenerator);
                resamples++;
            }
        });
        var history = trainer.Fit(model, train, progress: progress);
        loads.Add(("after training", MachineInfo.LoadAverage()));

        var watch = Stopwatch.StartNew();
        var elboPerImage = model.NegativeElbo(test, EvaluationSeed);
        var elbo = elboPerImage.Average();
        var elboSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"test −ELBO {elbo:F2} nats ({elboSeconds:F1} s)");

        // The smaller k on the whole test set; the larger k on as many test images (the first ones) as fit
        // in MaxLargeKSeconds at the speed the smaller k just ran at, with the smaller k and the −ELBO of
        // the same images beside it for a like-for-like comparison.
        var (smallK, largeK) = (importanceSamples[0], importanceSamples[1]);
        watch.Restart();
        var smallPerImage = model.LogLikelihood(test, smallK, EvaluationSeed);
        var smallSeconds = watch.Elapsed.TotalSeconds;
        var iwae = new List<IwaeResult> { new(smallK, test.Count, -smallPerImage.Average(), null, null, smallSeconds) };
        Console.WriteLine($"test IWAE NLL (k = {smallK}) {iwae[0].Nll:F2} nats ({smallSeconds:F1} s)");
        var secondsPerDraw = smallSeconds / ((double)test.Count * smallK);
        var largeImages = test.Count;
        if (secondsPerDraw * largeK * test.Count > MaxLargeKSeconds)
        {
            var minimum = Math.Min(test.Count, quick ? 100 : 500);
            largeImages = Math.Clamp((int)(MaxLargeKSeconds / (secondsPerDraw * largeK)) / 100 * 100, minimum, test.Count);
            Console.WriteLine($"IWAE with k = {largeK} on all {test.Count} test images would take about {secondsPerDraw * largeK * test.Count:F0} s (over {MaxLargeKSeconds} s): using the first {largeImages}");
        }

        watch.Restart();
        double largeNll;
        using (var subset = largeImages < test.Count ? test.Take(largeImages) : null)
        {
            largeNll = -model.LogLikelihood(subset ?? test, largeK, EvaluationSeed).Average();
        }

        iwae.Add(new IwaeResult(
            largeK, largeImages, largeNll,
            largeImages < test.Count ? -smallPerImage.Take(largeImages).Average() : null,
            largeImages < test.Count ? elboPerImage.Take(largeImages).Average() : null,
            watch.Elapsed.TotalSeconds));
        Console.WriteLine($"test IWAE NLL (k = {largeK}, {largeImages} images) {largeNll:F2} nats ({watch.Elapsed.TotalSeconds:F1} s)");

        var active = model.ActiveUnits(test);
        var finished = DateTimeOffset.Now;
        loads.Add(("end", MachineInfo.LoadAverage()));
        var commit = RepositoryInfo.Commit(RepositoryInfo.FindRoot());
        var busy = loads.Any(l => l.Load > MachineInfo.BusyLoad);
        var last = history.Epochs[^1];

        var json = new JsonObject
        {
            ["benchmark"] = "B6",
            ["test_negative_elbo_nats"] = elbo,
            ["test_iwae_nll_nats"] = new JsonObject(iwae.Select(r => KeyValuePair.Create<string, JsonNode?>(
                r.Samples.ToString(CultureInfo.InvariantCulture), new JsonObject
                {
                    ["nll"] = r.Nll,
                    ["images"] = r.Images,
                    ["smaller_k_nll_same_images"] = r.SmallerKSameImages,
                    ["negative_elbo_same_images"] = r.ElboSameImages,
                    ["seconds"] = r.Seconds,
                }))),
            ["active_units"] = active,
            ["epochs"] = history.Epochs.Count,
            ["train_seconds"] = history.Duration.TotalSeconds,
            ["final_train_loss"] = last.TrainLoss,
            ["final_train_terms"] = new JsonObject(last.TrainTerms.Select(t => KeyValuePair.Create<string, JsonNode?>(t.Key, t.Value))),
            ["median_samples_per_s"] = Stats.Median(history.Epochs.Select(e => e.SamplesPerSecond).ToArray()),
            ["train_loss_per_epoch"] = new JsonArray([.. history.Epochs.Select(e => (JsonNode?)e.TrainLoss)]),
            ["warnings"] = new JsonArray([.. history.Warnings.Select(w => (JsonNode?)w)]),
            ["settings"] = new JsonObject
            {
                ["quick"] = quick,
                ["architecture"] = "AutoencoderSpec.Variational([1, 28, 28], 20, [500], beta: 1): 784-500-(20)-500-784, ReLU, Bernoulli likelihood on logits",
                ["optimizer"] = "Adam",
                ["learning_rate"] = 1e-3,
                ["schedule"] = "constant",
                ["batch"] = 128,
                ["train_images"] = trainCount,
                ["test_images"] = testCount,
                ["binarisation"] = "dynamic: x ~ Bernoulli(intensity) per pixel, redrawn after every epoch (in place, from the Trainer's progress callback); test binarised once",
                ["train_binarisation_seed"] = TrainBinarisationSeed,
                ["test_binarisation_seed"] = TestBinarisationSeed,
                ["resamples"] = resamples,
                ["evaluation_seed"] = EvaluationSeed,
                ["importance_samples"] = new JsonArray([.. importanceSamples.Select(k => (JsonNode?)k)]),
                ["larger_k_time_budget_s"] = MaxLargeKSeconds,
                ["model_seed"] = BenchmarkOptions.Seed,
                ["threads"] = options.Threads,
                ["data"] = folder,
            },
        }.With(machine, loads, commit, started, finished);

        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# B6 variational autoencoder likelihood{(quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(inv, $"Date {started:yyyy-MM-dd HH:mm zzz}, commit `{commit ?? "unknown"}`, {(finished - started).TotalMinutes:F1} min.");
        md.AppendLine(inv, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- b6{(quick ? " --quick" : string.Empty)}{(options.Threads != BenchmarkOptions.DefaultThreads ? $" --threads {options.Threads}" : string.Empty)}`.");
        md.AppendLine();
        if (quick)
        {
            md.AppendLine(inv, $"A quick run checks that the benchmark works ({trainCount} training images, {testCount} test images, {epochs} epochs); its numbers are not converged.");
            md.AppendLine();
        }

        md.AppendLine(inv, $"Load average (1 min): {string.Join(", ", loads.Select(l => $"{l.When} {l.Load:F2}"))}.{(busy ? $" **The machine was shared and busy (above {MachineInfo.BusyLoad}): times are longer than on an idle machine; the nats are unaffected.**" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(ResultTable(elbo, iwae, history.Epochs.Count, history.Duration.TotalSeconds, active));
        md.AppendLine("No published number is listed for this benchmark in BENCHMARKS.md; lower is better, and the IWAE estimate must lie below the −ELBO and fall as k grows.");
        md.AppendLine();
        md.AppendLine("## Settings");
        md.AppendLine();
        md.AppendLine("| setting | value |");
        md.AppendLine("|---|---|");
        md.AppendLine("| model | `AutoencoderSpec.Variational([1, 28, 28], 20, [500], beta: 1)`: 784-500-(μ, log σ² ∈ ℝ²⁰)-500-784, ReLU, Bernoulli likelihood on logits (binary cross-entropy summed over pixels), closed-form KL, β = 1, no warm-up |");
        md.AppendLine(inv, $"| training | `Trainer.Fit`: Adam lr 0.001 (constant), batch 128, shuffled each epoch, {epochs} epochs, no validation split, seed {BenchmarkOptions.Seed} |");
        md.AppendLine(inv, $"| data | {folder}: {trainCount} training and {testCount} test images |");
        md.AppendLine(inv, $"| binarisation | dynamic: each pixel x ~ Bernoulli(grey level in [0, 1]), drawn as `rand < intensity` from a generator seeded {TrainBinarisationSeed}; the binarised training copy is redrawn in place after every epoch from the trainer's (synchronous) progress callback, {resamples} redraws, so every epoch sees a fresh sample and one Adam state spans the whole run. The test set is binarised once (seed {TestBinarisationSeed}) |");
        md.AppendLine(inv, $"| −ELBO | `model.NegativeElbo(test, seed {EvaluationSeed})`: one reparameterised draw per test image, mean over images |");
        md.AppendLine(inv, $"| IWAE NLL | −`model.LogLikelihood(test, k, seed {EvaluationSeed})`: −log (1/k) Σ p(x, zᵢ)/q(zᵢ|x) with k draws from q per image, mean over images; k = {smallK} on all {test.Count} test images; k = {largeK} on {(iwae[1].Images == test.Count ? "all of them" : $"the first {iwae[1].Images} only: at the speed k = {smallK} ran ({smallSeconds:F0} s), all {test.Count} would have taken about {secondsPerDraw * largeK * test.Count / 60:F0} min, over the {MaxLargeKSeconds / 60:F0}-minute budget of this shared machine")} |");
        md.AppendLine(inv, $"| final training loss | {last.TrainLoss:F2} nats ({string.Join(", ", last.TrainTerms.Select(t => $"{t.Key} {t.Value:F2}"))}) |");
        md.AppendLine(inv, $"| median training speed | {Stats.Median(history.Epochs.Select(e => e.SamplesPerSecond).ToArray()):F0} samples/s |");
        md.AppendLine(inv, $"| evaluation time | −ELBO {elboSeconds:F1} s; {string.Join("; ", iwae.Select(r => $"IWAE k = {r.Samples} on {r.Images} images: {r.Seconds:F0} s"))} |");
        md.AppendLine(inv, $"| intra-op threads | {options.Threads} |");
        md.AppendLine(inv, $"| warnings | {(history.Warnings.Count == 0 ? "none" : string.Join("; ", history.Warnings))} |");
        md.AppendLine();
        md.AppendLine("## Training loss per epoch (negative ELBO on that epoch's binarisation, nats)");
        md.AppendLine();
        md.AppendLine(string.Join(", ", history.Epochs.Select(e => e.TrainLoss.ToString("F2", inv))));
        md.AppendLine();
        md.AppendLine(machine.ToMarkdown());

        var name = $"B6-{started:yyyy-MM-dd}{(quick ? "-quick" : string.Empty)}.md";
        return new BenchmarkReport(name, json, md.ToString());
    }

    /// <summary>The B6 result table (also used by the docs).</summary>
    public static string ResultTable(double elbo, IReadOnlyList<IwaeResult> iwae, int epochs, double trainSeconds, int active)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("| quantity (test set, nats per image) | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(inv, $"| negative ELBO (1 sample), all test images | {elbo:F2} |");
        foreach (var r in iwae)
        {
            md.AppendLine(inv, $"| IWAE NLL estimate, k = {r.Samples}, {r.Images} test images | {r.Nll:F2} |");
            if (r.SmallerKSameImages is { } same)
            {
                md.AppendLine(inv, $"| … on the same {r.Images} images: IWAE k = {iwae[0].Samples} / −ELBO | {same:F2} / {r.ElboSameImages:F2} |");
            }
        }

        md.AppendLine(inv, $"| epochs | {epochs} |");
        md.AppendLine(inv, $"| training time | {trainSeconds / 60:F1} min |");
        md.AppendLine(inv, $"| active latent units | {active} / {Latent} |");
        return md.ToString();
    }

    /// <summary>A binarised copy: each pixel 1 with probability equal to its grey level.</summary>
    private static InMemoryDataset Binarise(InMemoryDataset grey, torch.Generator generator)
    {
        using var scope = NewDisposeScope();
        var sample = torch.rand(grey.Features.shape, generator: generator).lt(grey.Features).to_type(ScalarType.Float32);
        return InMemoryDataset.FromTensor(sample, grey.Labels);
    }

    /// <summary>Redraws the binarised copy in place (the trainer gathers each batch from this tensor).</summary>
    private static void Resample(InMemoryDataset grey, InMemoryDataset binary, torch.Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var sample = torch.rand(grey.Features.shape, generator: generator).lt(grey.Features).to_type(ScalarType.Float32);
        binary.Features.copy_(sample);
    }
}

/// <summary>One IWAE evaluation of B6.</summary>
/// <param name="Samples">Importance samples k per image.</param>
/// <param name="Images">Test images evaluated (the first ones).</param>
/// <param name="Nll">Mean −IWAE bound, nats per image.</param>
/// <param name="SmallerKSameImages">The smaller k's estimate on the same images, when they are a subset.</param>
/// <param name="ElboSameImages">The −ELBO on the same images, when they are a subset.</param>
/// <param name="Seconds">Wall time of the evaluation.</param>
internal sealed record IwaeResult(int Samples, int Images, double Nll, double? SmallerKSameImages, double? ElboSameImages, double Seconds);
