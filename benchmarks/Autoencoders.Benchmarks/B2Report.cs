using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Autoencoders.Benchmarks;

/// <summary>Turns B2/B3's cells into the JSON summary and the Markdown report, beside the published numbers.</summary>
internal static class B2Report
{
    /// <summary>Published test MSE/pixel (BENCHMARKS.md, B2): PCA exact; conv AE and VAE from Sainburg et al. 2021.</summary>
    public static readonly IReadOnlyDictionary<int, (double? Pca, double? ConvAe, double? Vae)> PublishedMse =
        new Dictionary<int, (double?, double?, double?)>
        {
            [2] = (0.0461, 0.0244, 0.0253),
            [10] = (0.0244, null, null),
            [32] = (0.0151, null, null),
            [64] = (0.0104, 0.0054, 0.0058),
        };

    /// <summary>Published 5-NN accuracy (BENCHMARKS.md, B3; Sainburg et al. 2021).</summary>
    public static readonly IReadOnlyDictionary<int, (double Pca, double Ae, double Vae, double? Umap)> PublishedKnn =
        new Dictionary<int, (double, double, double, double?)>
        {
            [2] = (0.506, 0.734, 0.716, 0.761),
            [64] = (0.857, 0.876, 0.883, null),
        };

    /// <summary>The moonshot targets of issue 3: MSE at most, 5-NN at least.</summary>
    public static readonly IReadOnlyDictionary<int, (double Mse, double Knn)> Targets =
        new Dictionary<int, (double, double)> { [2] = (0.0235, 0.76), [64] = (0.0050, 0.885) };

    public static BenchmarkReport Create(
        B2Settings settings,
        MachineInfo machine,
        string folder,
        int trainCount,
        int testCount,
        double pcaFitSeconds,
        double[] eigenvalues,
        IReadOnlyList<B2Cell> cells,
        IReadOnlyList<(string When, double Load)> loads,
        DateTimeOffset started,
        DateTimeOffset finished,
        bool partial = false)
    {
        var commit = RepositoryInfo.Commit(RepositoryInfo.FindRoot());
        var busy = loads.Any(l => l.Load > MachineInfo.BusyLoad);
        var json = new JsonObject
        {
            ["benchmark"] = "B2+B3",
            ["partial"] = partial,
            ["results"] = new JsonArray([.. cells.Select(c => (JsonNode?)new JsonObject
            {
                ["model"] = c.Model,
                ["latent"] = c.Latent,
                ["test_mse_per_pixel"] = c.TestMse,
                ["knn5_accuracy"] = c.KnnAccuracy,
                ["epochs"] = c.Epochs,
                ["train_seconds"] = c.TrainSeconds,
                ["evaluation_seconds"] = c.EvaluationSeconds,
                ["final_train_loss"] = c.FinalTrainLoss,
                ["median_samples_per_s"] = c.MedianSamplesPerSecond,
                ["active_units"] = c.ActiveUnits,
                ["warnings"] = new JsonArray([.. c.Warnings.Select(w => (JsonNode?)w)]),
            })]),
            ["published"] = new JsonObject
            {
                ["mse"] = new JsonObject(PublishedMse.Select(p => KeyValuePair.Create<string, JsonNode?>(
                    p.Key.ToString(CultureInfo.InvariantCulture),
                    new JsonObject { ["pca"] = p.Value.Pca, ["conv_ae"] = p.Value.ConvAe, ["vae"] = p.Value.Vae }))),
                ["knn5"] = new JsonObject(PublishedKnn.Select(p => KeyValuePair.Create<string, JsonNode?>(
                    p.Key.ToString(CultureInfo.InvariantCulture),
                    new JsonObject { ["pca"] = p.Value.Pca, ["ae"] = p.Value.Ae, ["vae"] = p.Value.Vae, ["umap"] = p.Value.Umap }))),
                ["source"] = "BENCHMARKS.md; Sainburg, McInnes & Gentner, Neural Computation 2021",
            },
            ["pca_fit_seconds"] = pcaFitSeconds,
            ["pca_top_eigenvalues"] = new JsonArray([.. eigenvalues.Take(70).Select(v => (JsonNode?)v)]),
            ["settings"] = new JsonObject
            {
                ["quick"] = settings.Quick,
                ["train_images"] = trainCount,
                ["test_images"] = testCount,
                ["latents"] = new JsonArray([.. settings.Latents.Select(k => (JsonNode?)k)]),
                ["models"] = new JsonObject(settings.Families.Select(f => KeyValuePair.Create<string, JsonNode?>(f.Key,
                    new JsonObject { ["architecture"] = f.Describe, ["epochs"] = f.Epochs }))),
                ["optimizer"] = "Adam",
                ["learning_rate"] = settings.LearningRate,
                ["schedule"] = $"cosine to {settings.MinimumLearningRate.ToString(CultureInfo.InvariantCulture)}",
                ["batch"] = settings.BatchSize,
                ["validation"] = "none (fixed epoch count, all training images used, no early stopping)",
                ["pca"] = "exact, the library's Pca (MathNet float64 covariance, n − 1 denominator, symmetric eigen-decomposition), fit on the training images",
                ["knn"] = $"{B2Settings.Neighbours}-NN, Euclidean (float64, ‖r‖² − 2q·r by addmm), uniform vote, ties to the smallest label; test codes against training codes",
                ["threads"] = settings.Threads,
                ["seed"] = settings.Seed,
                ["data"] = folder,
            },
        }.With(machine, loads, commit, started, finished);

        var name = $"B2-{started:yyyy-MM-dd}{(settings.Quick ? "-quick" : string.Empty)}.md";
        return new BenchmarkReport(name, json, Markdown(settings, machine, folder, trainCount, testCount, pcaFitSeconds, cells, loads, busy, commit, started, finished, partial));
    }

    /// <summary>The B2 and B3 tables (ours beside the published numbers), also used by the docs.</summary>
    public static string Tables(B2Settings settings, IReadOnlyList<B2Cell> cells)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        B2Cell? Cell(string model, int k) => cells.FirstOrDefault(c => c.Model == model && c.Latent == k);
        string Value(string model, int k, Func<B2Cell, double> pick, string format) =>
            Cell(model, k) is { } c ? pick(c).ToString(format, inv) : "–";

        md.AppendLine("### B2: test MSE per pixel (lower is better)");
        md.AppendLine();
        md.AppendLine("| k | PCA | PCA (published) | dense AE | conv AE | conv AE (published) | VAE (mean code) | VAE (published) | target |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var k in settings.Latents)
        {
            var published = PublishedMse.GetValueOrDefault(k);
            var target = Targets.TryGetValue(k, out var t) ? $"≤ {t.Mse.ToString("0.0000", inv)}" : "–";
            md.AppendLine(inv,
                $"| {k} | {Value("pca", k, c => c.TestMse, "0.0000")} | {Format(published.Pca, "0.0000")} | {Value("dense_ae", k, c => c.TestMse, "0.0000")} | {Value("conv_ae", k, c => c.TestMse, "0.0000")} | {Format(published.ConvAe, "0.0000")} | {Value("vae", k, c => c.TestMse, "0.0000")} | {Format(published.Vae, "0.0000")} | {target} |");
        }

        md.AppendLine();
        md.AppendLine("### B3: 5-NN accuracy of the test codes against the training codes (higher is better)");
        md.AppendLine();
        md.AppendLine("| k | PCA | PCA (published) | dense AE | conv AE | AE (published) | VAE (mean code) | VAE (published) | UMAP (published) | target |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var k in settings.Latents)
        {
            var has = PublishedKnn.TryGetValue(k, out var p);
            var target = Targets.TryGetValue(k, out var t) ? $"≥ {t.Knn.ToString("0.000", inv)}" : "–";
            md.AppendLine(inv,
                $"| {k} | {Value("pca", k, c => c.KnnAccuracy, "0.000")} | {(has ? Format(p.Pca, "0.000") : "–")} | {Value("dense_ae", k, c => c.KnnAccuracy, "0.000")} | {Value("conv_ae", k, c => c.KnnAccuracy, "0.000")} | {(has ? Format(p.Ae, "0.000") : "–")} | {Value("vae", k, c => c.KnnAccuracy, "0.000")} | {(has ? Format(p.Vae, "0.000") : "–")} | {(has ? Format(p.Umap, "0.000") : "–")} | {target} |");
        }

        return md.ToString();
    }

    private static string Markdown(
        B2Settings settings,
        MachineInfo machine,
        string folder,
        int trainCount,
        int testCount,
        double pcaFitSeconds,
        IReadOnlyList<B2Cell> cells,
        IReadOnlyList<(string When, double Load)> loads,
        bool busy,
        string? commit,
        DateTimeOffset started,
        DateTimeOffset finished,
        bool partial)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"# B2 reconstruction quality and B3 representation quality versus latent size{(settings.Quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(inv, $"Date {started:yyyy-MM-dd HH:mm zzz}, commit `{commit ?? "unknown"}`, {(finished - started).TotalMinutes:F1} min.");
        md.AppendLine(inv, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- b2{(settings.Quick ? " --quick" : string.Empty)}{(settings.Threads != BenchmarkOptions.DefaultThreads ? $" --threads {settings.Threads}" : string.Empty)}`.");
        md.AppendLine();
        if (partial)
        {
            md.AppendLine(inv, $"**Partial report: {cells.Count} of {settings.Latents.Length * (settings.Families.Count + 1)} (model, k) cells finished so far; the run was still going (or was stopped) when this was written.**");
            md.AppendLine();
        }

        if (settings.Quick)
        {
            md.AppendLine(inv, $"A quick run checks that the benchmark works: {trainCount} training images, {testCount} test images, {string.Join("/", settings.Families.Select(f => f.Epochs))} epochs. Its numbers are far from converged and not comparable with the published ones.");
            md.AppendLine();
        }

        md.AppendLine(inv, $"Load average (1 min): {string.Join(", ", loads.Select(l => $"{l.When} {l.Load:F2}"))}.");
        if (busy)
        {
            md.AppendLine();
            md.AppendLine(inv, $"**The machine was shared and busy (load average above {MachineInfo.BusyLoad}) during this run: training times are longer than on an idle machine. The quality numbers do not depend on the load.**");
        }

        md.AppendLine();
        md.Append(Tables(settings, cells));
        md.AppendLine();
        md.AppendLine("Published numbers: PCA exact (fit on the 60k training images); AE, VAE and UMAP from Sainburg, McInnes & Gentner, \"Parametric UMAP embeddings for representation and semi-supervised learning\", Neural Computation 2021 (conv AE trained 50 epochs on 50k images). Targets: the moonshot of issue 3.");
        md.AppendLine();
        md.AppendLine("## Training");
        md.AppendLine();
        md.AppendLine("| model | k | epochs | training time (s) | median samples/s | final train loss | evaluation time (s) | active units | warnings |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var c in cells.Where(c => c.Model != "pca").OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Latent))
        {
            md.AppendLine(inv,
                $"| {c.Model} | {c.Latent} | {c.Epochs} | {c.TrainSeconds:F0} | {Format(c.MedianSamplesPerSecond, "F0")} | {Format(c.FinalTrainLoss, "G5")} | {c.EvaluationSeconds:F1} | {(c.ActiveUnits is { } a ? $"{a}/{c.Latent}" : "–")} | {(c.Warnings.Count == 0 ? "none" : string.Join("; ", c.Warnings))} |");
        }

        md.AppendLine();
        md.AppendLine(inv, $"PCA: the library's `Pca`, fit once on the training images in {pcaFitSeconds:F1} s (all components; each k keeps the first k).");
        md.AppendLine();
        md.AppendLine("## Settings");
        md.AppendLine();
        md.AppendLine("| setting | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(inv, $"| data | {folder}: the first {trainCount} training images (all of them in full mode), the first {testCount} test images; pixels in [0, 1] |");
        foreach (var f in settings.Families)
        {
            md.AppendLine(inv, $"| {f.Title} | {f.Describe}; {f.Epochs} epochs |");
        }

        md.AppendLine(inv, $"| training | `Trainer.Fit`: Adam, lr {settings.LearningRate.ToString(inv)} with a cosine schedule to {settings.MinimumLearningRate.ToString(inv)}, batch {settings.BatchSize}, shuffled each epoch, every training image, fixed epoch count (no validation split, no early stopping, nothing tuned on the test set) |");
        md.AppendLine(inv, $"| MSE | `model.MeanSquaredError(test)`: mean over test images and pixels of (reconstruction − x)²; VAE reconstruction = sigmoid(decoder(μ)) |");
        md.AppendLine(inv, $"| codes | `model.Encode(dataset)` (a VAE's posterior mean); PCA: centred scores on the top-k eigenvectors |");
        md.AppendLine(inv, $"| 5-NN | squared Euclidean distances in float64 (test chunks of 500 × all training codes, ‖r‖² − 2q·r by one `addmm`, which ranks like ‖q − r‖), `topk` 5, uniform vote, ties to the smallest label (scikit-learn's rule) |");
        md.AppendLine(inv, $"| intra-op threads | {settings.Threads} |");
        md.AppendLine(inv, $"| seed | {settings.Seed} (weights and shuffling) |");
        md.AppendLine();
        md.AppendLine(machine.ToMarkdown());
        return md.ToString();
    }

    private static string Format(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}
