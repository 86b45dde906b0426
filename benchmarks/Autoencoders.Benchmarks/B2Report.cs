using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Autoencoders.Benchmarks;

/// <summary>Turns B2/B3's cells into the JSON summary and the Markdown report, beside the published numbers.</summary>
internal static class B2Report
{
    /// <summary>Published test MSE/pixel (BENCHMARKS.md, B2): PCA exact; conv AE and VAE from Sainburg et al. 2021.</summary>
    public static readonly IReadOnlyDictionary<int, (double Pca, double ConvAe, double Vae)> PublishedMse =
        new Dictionary<int, (double, double, double)>
        {
            [2] = (0.0461, 0.0244, 0.0253),
            [64] = (0.0104, 0.0054, 0.0058),
        };

    /// <summary>Published 5-NN accuracy (BENCHMARKS.md, B3; Sainburg et al. 2021).</summary>
    public static readonly IReadOnlyDictionary<int, (double Pca, double Ae, double Vae, double? Umap)> PublishedKnn =
        new Dictionary<int, (double, double, double, double?)>
        {
            [2] = (0.506, 0.734, 0.716, 0.761),
            [64] = (0.857, 0.876, 0.883, null),
        };

    /// <summary>
    /// Published trustworthiness (k = 5, first 10,000 training images; Sainburg et al. 2021), for the
    /// column that follows once the library can compute it.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, (double Pca, double Ae, double Vae, double? Umap, double? ParametricUmap)> PublishedTrustworthiness =
        new Dictionary<int, (double, double, double, double?, double?)>
        {
            [2] = (0.9126, 0.9803, 0.9751, 0.9777, 0.9733),
            [64] = (0.9995, 0.9991, 0.9960, null, null),
        };

    /// <summary>The targets of issues 3 and 14: test MSE at most, 5-NN at least.</summary>
    public static readonly IReadOnlyDictionary<int, (double Mse, double Knn)> Targets =
        new Dictionary<int, (double, double)> { [2] = (0.0235, 0.76), [64] = (0.0050, 0.885) };

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static BenchmarkReport Create(
        B2Settings settings,
        MachineInfo machine,
        string folder,
        B2Artifacts artifacts,
        bool evaluateOnly,
        IReadOnlyList<B2Cell> cells,
        IReadOnlyList<(string When, double Load)> loads,
        DateTimeOffset started,
        DateTimeOffset finished)
    {
        var commit = RepositoryInfo.Commit(RepositoryInfo.FindRoot());
        var json = new JsonObject
        {
            ["benchmark"] = "B2+B3",
            ["evaluated_saved_networks_only"] = evaluateOnly,
            ["artifacts"] = artifacts.Folder,
            ["results"] = new JsonArray([.. cells.Select(c => (JsonNode?)new JsonObject
            {
                ["model"] = c.Model,
                ["latent"] = c.Latent,
                ["test_mse_per_pixel"] = c.TestMse,
                ["knn5_accuracy"] = c.KnnAccuracy,
                ["evaluation_seconds"] = c.EvaluationSeconds,
                ["active_units"] = c.ActiveUnits,
                ["epochs"] = c.Training?.Epochs,
                ["train_seconds"] = c.Training?.TrainSeconds,
                ["final_train_loss"] = c.Training?.FinalTrainLoss,
                ["final_validation_loss"] = c.Training?.FinalValidationLoss,
                ["median_samples_per_s"] = c.Training?.MedianSamplesPerSecond,
                ["trained_at_commit"] = c.Training?.Commit,
                ["warnings"] = c.Training is { } t ? new JsonArray([.. t.Warnings.Select(w => (JsonNode?)w)]) : null,
            })]),
            ["published"] = new JsonObject
            {
                ["mse"] = Published(PublishedMse, p => new JsonObject { ["pca"] = p.Pca, ["conv_ae"] = p.ConvAe, ["vae"] = p.Vae }),
                ["knn5"] = Published(PublishedKnn, p => new JsonObject { ["pca"] = p.Pca, ["ae"] = p.Ae, ["vae"] = p.Vae, ["umap"] = p.Umap }),
                ["trustworthiness5"] = Published(PublishedTrustworthiness, p => new JsonObject
                {
                    ["pca"] = p.Pca, ["ae"] = p.Ae, ["vae"] = p.Vae, ["umap"] = p.Umap, ["parametric_umap"] = p.ParametricUmap,
                }),
                ["source"] = "BENCHMARKS.md; Sainburg, McInnes & Gentner, Neural Computation 2021",
            },
            ["settings"] = new JsonObject
            {
                ["quick"] = settings.Quick,
                ["train_images"] = settings.TrainCount,
                ["validation_images"] = settings.ValidationCount,
                ["test_images"] = settings.TestCount,
                ["latents"] = new JsonArray([.. settings.Latents.Select(k => (JsonNode?)k)]),
                ["models"] = new JsonObject(settings.Families.Select(f => KeyValuePair.Create<string, JsonNode?>(f.Key, f.Describe))),
                ["epochs"] = settings.Epochs,
                ["optimizer"] = "Adam",
                ["learning_rate"] = settings.LearningRate,
                ["schedule"] = $"cosine to {settings.MinimumLearningRate.ToString(Inv)}",
                ["batch"] = settings.BatchSize,
                ["pca"] = "Autoencoders.Linear.Pca, exact, fit on the training images",
                ["knn"] = $"{B2Settings.Neighbours}-NN, Euclidean (float64, ‖r‖² − 2q·r by addmm), uniform vote, ties to the smallest label; test codes against training codes",
                ["threads"] = settings.Threads,
                ["seed"] = settings.Seed,
                ["data"] = folder,
            },
        }.With(machine, loads, commit, started, finished);

        var name = $"B2-{started:yyyy-MM-dd}{(settings.Quick ? "-quick" : string.Empty)}.md";
        return new BenchmarkReport(name, json, Markdown(settings, machine, folder, artifacts, evaluateOnly, cells, loads, commit, started, finished));
    }

    /// <summary>The B2 and B3 tables (ours beside the published numbers and the targets), also quoted by the READMEs.</summary>
    public static string Tables(B2Settings settings, IReadOnlyList<B2Cell> cells)
    {
        var md = new StringBuilder();
        string Value(string model, int k, Func<B2Cell, double> pick, string format) =>
            Cell(cells, model, k) is { } c ? pick(c).ToString(format, Inv) : "–";

        md.AppendLine("### B2: test MSE per pixel (lower is better)");
        md.AppendLine();
        md.AppendLine("| k | PCA | PCA (published) | dense AE | conv AE | conv AE (published) | VAE (mean code) | VAE (published) | target | met |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var k in settings.Latents)
        {
            var has = PublishedMse.TryGetValue(k, out var p);
            var target = Targets.TryGetValue(k, out var t) ? $"≤ {t.Mse.ToString("0.0000", Inv)}" : "–";
            md.AppendLine(Inv,
                $"| {k} | {Value("pca", k, c => c.TestMse, "0.0000")} | {(has ? p.Pca.ToString("0.0000", Inv) : "–")} | {Value("dense_ae", k, c => c.TestMse, "0.0000")} | {Value("conv_ae", k, c => c.TestMse, "0.0000")} | {(has ? p.ConvAe.ToString("0.0000", Inv) : "–")} | {Value("vae", k, c => c.TestMse, "0.0000")} | {(has ? p.Vae.ToString("0.0000", Inv) : "–")} | {target} | {Met(cells, k, c => c.TestMse <= t.Mse, Targets.ContainsKey(k))} |");
        }

        md.AppendLine();
        md.AppendLine("### B3: 5-NN accuracy of the test codes against the training codes (higher is better)");
        md.AppendLine();
        md.AppendLine("| k | PCA | PCA (published) | dense AE | conv AE | AE (published) | VAE (mean code) | VAE (published) | UMAP (published) | target | met |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var k in settings.Latents)
        {
            var has = PublishedKnn.TryGetValue(k, out var p);
            var target = Targets.TryGetValue(k, out var t) ? $"≥ {t.Knn.ToString("0.000", Inv)}" : "–";
            md.AppendLine(Inv,
                $"| {k} | {Value("pca", k, c => c.KnnAccuracy, "0.000")} | {(has ? p.Pca.ToString("0.000", Inv) : "–")} | {Value("dense_ae", k, c => c.KnnAccuracy, "0.000")} | {Value("conv_ae", k, c => c.KnnAccuracy, "0.000")} | {(has ? p.Ae.ToString("0.000", Inv) : "–")} | {Value("vae", k, c => c.KnnAccuracy, "0.000")} | {(has ? p.Vae.ToString("0.000", Inv) : "–")} | {(has && p.Umap is { } u ? u.ToString("0.000", Inv) : "–")} | {target} | {Met(cells, k, c => c.KnnAccuracy >= t.Knn, Targets.ContainsKey(k))} |");
        }

        return md.ToString();
    }

    private static B2Cell? Cell(IReadOnlyList<B2Cell> cells, string model, int k) =>
        cells.FirstOrDefault(c => c.Model == model && c.Latent == k);

    /// <summary>"met (conv AE, VAE)" when some network reaches the target, else "not met".</summary>
    private static string Met(IReadOnlyList<B2Cell> cells, int k, Func<B2Cell, bool> reaches, bool hasTarget)
    {
        if (!hasTarget)
        {
            return "–";
        }

        var by = cells.Where(c => c.Latent == k && c.Model != "pca" && reaches(c)).Select(c => Title(c.Model)).ToArray();
        return by.Length > 0 ? $"met ({string.Join(", ", by)})" : "not met";
    }

    private static string Title(string model) => model switch
    {
        "dense_ae" => "dense AE",
        "conv_ae" => "conv AE",
        "vae" => "VAE",
        _ => model,
    };

    private static string Markdown(
        B2Settings settings,
        MachineInfo machine,
        string folder,
        B2Artifacts artifacts,
        bool evaluateOnly,
        IReadOnlyList<B2Cell> cells,
        IReadOnlyList<(string When, double Load)> loads,
        string? commit,
        DateTimeOffset started,
        DateTimeOffset finished)
    {
        var md = new StringBuilder();
        var planned = settings.Latents.Length * (settings.Families.Count + 1);
        md.AppendLine(Inv, $"# B2 reconstruction quality and B3 representation quality versus latent size{(settings.Quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(Inv, $"Date {started:yyyy-MM-dd HH:mm zzz}, commit `{commit ?? "unknown"}`, {(finished - started).TotalMinutes:F1} min{(evaluateOnly ? " (evaluation only)" : string.Empty)}.");
        md.AppendLine(Inv, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- b2{(settings.Quick ? " --quick" : string.Empty)}{(settings.Threads != BenchmarkOptions.DefaultThreads ? $" --threads {settings.Threads}" : string.Empty)}{(evaluateOnly ? " --evaluate" : string.Empty)}`. The networks were trained once and saved under `{Path.GetRelativePath(RepositoryInfo.FindRoot() ?? ".", artifacts.Folder)}` (not in git); `--evaluate` recomputes every number below from those files.");
        md.AppendLine();
        if (cells.Count < planned)
        {
            md.AppendLine(Inv, $"**Incomplete: {cells.Count} of {planned} (model, k) cells; the others have no saved network trained with these settings.**");
            md.AppendLine();
        }

        if (settings.Quick)
        {
            md.AppendLine(Inv, $"A quick run checks that the benchmark works: {settings.TrainCount} training images, {settings.TestCount} test images, {settings.Epochs} epochs. Its numbers are far from converged and not comparable with the published ones.");
            md.AppendLine();
        }

        md.AppendLine(Inv, $"Load average (1 min) of this run: {string.Join(", ", loads.Select(l => $"{l.When} {l.Load:F2}"))}.");
        var trainingLoads = cells.Where(c => c.Training is not null).Select(c => c.Training!.MeanLoad).Where(double.IsFinite).ToArray();
        if (loads.Any(l => l.Load > MachineInfo.BusyLoad) || trainingLoads.Any(l => l > MachineInfo.BusyLoad))
        {
            md.AppendLine();
            md.AppendLine(Inv, $"**The machine was shared and busy (load average above {MachineInfo.BusyLoad}) while the networks trained (mean load per network in the training table): training times are longer than on an idle machine. The quality numbers do not depend on the load.**");
        }

        md.AppendLine();
        md.Append(Tables(settings, cells));
        md.AppendLine();
        md.AppendLine(Inv, $"Every network trained **{settings.Epochs} epochs**{(settings.Epochs == B2Settings.PublishedEpochs ? " (the published length)" : string.Empty)} on the first {settings.TrainCount:N0} training images; the last {settings.ValidationCount:N0} images of the training file are the validation split (as in the published protocol: 50,000 + 10,000), used to choose the settings (short runs of `b2-select`, reports `B2-select-*.md` in this folder) and to watch training, never to stop it or pick weights. The 5-NN references are the training codes. Published numbers: PCA exact (fit on the 60,000 training images); AE, VAE and UMAP from Sainburg, McInnes & Gentner, \"Parametric UMAP embeddings for representation and semi-supervised learning\", Neural Computation 2021 (conv network, 50 epochs on 50,000 images). Targets: issues 3 and 14; \"met\" names our networks that reach them.");
        md.AppendLine();
        md.AppendLine("## Training");
        md.AppendLine();
        md.AppendLine("| model | k | epochs | training time (min) | median samples/s | mean load | final train loss | final validation loss | active units | warnings | trained at |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in cells.Where(c => c.Training is not null).OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Latent))
        {
            var t = c.Training!;
            md.AppendLine(Inv,
                $"| {c.Model} | {c.Latent} | {t.Epochs} | {t.TrainSeconds / 60:F1} | {t.MedianSamplesPerSecond:F0} | {t.MeanLoad:F1} | {t.FinalTrainLoss:G5} | {Format(t.FinalValidationLoss, "G5")} | {(c.ActiveUnits is { } a ? $"{a}/{c.Latent}" : "–")} | {(t.Warnings.Count == 0 ? "none" : string.Join("; ", t.Warnings))} | {t.Finished:yyyy-MM-dd HH:mm}, `{ShortCommit(t.Commit)}` |");
        }

        md.AppendLine();
        md.AppendLine("## Settings");
        md.AppendLine();
        md.AppendLine("| setting | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(Inv, $"| data | {folder}: training = the first {settings.TrainCount} images of the training file, validation = its last {settings.ValidationCount}, test = the first {settings.TestCount} test images; pixels in [0, 1] |");
        md.AppendLine(Inv, $"| PCA | `Autoencoders.Linear.Pca.Fit` on the training images (exact), truncated to k; codes = centred scores; refit at every evaluation (deterministic) |");
        foreach (var f in settings.Families)
        {
            md.AppendLine(Inv, $"| {f.Title} | {f.Describe} |");
        }

        md.AppendLine(Inv, $"| training | `Trainer.Fit(network, train, validation)`: Adam, lr {settings.LearningRate.ToString(Inv)} with a cosine schedule to {settings.MinimumLearningRate.ToString(Inv)}, batch {settings.BatchSize}, shuffled each epoch, {settings.Epochs} epochs, the last epoch's weights kept (no early stopping, no best-epoch restore) |");
        md.AppendLine(Inv, $"| MSE | `network.MeanSquaredError(test)`: mean over test images and pixels of (reconstruction − x)²; VAE reconstruction = sigmoid(decoder(μ)) |");
        md.AppendLine(Inv, $"| codes | `network.Encode(dataset)` (a VAE's posterior mean) |");
        md.AppendLine(Inv, $"| 5-NN | squared Euclidean distances in float64 (test chunks of 500 × all training codes, ‖r‖² − 2q·r by one `addmm`, which ranks like ‖q − r‖), `topk` 5, uniform vote, ties to the smallest label (scikit-learn's rule) |");
        md.AppendLine(Inv, $"| intra-op threads | {settings.Threads} |");
        md.AppendLine(Inv, $"| seed | {settings.Seed} (weights and shuffling) |");
        md.AppendLine();
        md.AppendLine(machine.ToMarkdown());
        return md.ToString();
    }

    private static JsonObject Published<T>(IReadOnlyDictionary<int, T> values, Func<T, JsonObject> describe) =>
        new(values.Select(p => KeyValuePair.Create<string, JsonNode?>(p.Key.ToString(Inv), describe(p.Value))));

    private static string ShortCommit(string? commit) => commit is null ? "unknown" : commit.Length > 12 ? commit[..12] + (commit.EndsWith("-dirty", StringComparison.Ordinal) ? "-dirty" : string.Empty) : commit;

    private static string Format(double? value, string format) =>
        value is { } v ? v.ToString(format, Inv) : "–";
}
