using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Evaluation;
using Autoencoders.Linear;
using Autoencoders.Model;
using Autoencoders.Training;
using TorchSharp;

namespace Autoencoders.Benchmarks;

/// <summary>
/// B4: one-class anomaly detection on Fashion-MNIST (Golan and El-Yaniv 2018 protocol). For each class:
/// train on that class's training images only, score the whole test set, count the other nine classes
/// as anomalies, report AUROC. Nothing is tuned on the test set: every setting is fixed in advance.
/// Next to AUROC, the decisions at the split-conformal threshold (calibrated on the 20 % of the class's
/// training images the detector holds out): the false-positive rate on the class's test images and the
/// recall on the others, at α = 0.05 and at the default α = 0.01.
/// </summary>
internal static class B4OneClass
{
    private const double Alpha = 0.05;
    private const double DefaultAlpha = 0.01;
    private const double Holdout = 0.2;

    private static readonly (string Name, double Mean)[] References =
    [
        ("PCA reconstruction error, k = 10", 89.7),
        ("PCA reconstruction error, k = 32", 90.5),
        ("distance to the class mean", 89.3),
        ("OC-SVM on conv-AE features (tuned on test)", 91.7),
        ("OC-SVM on raw pixels", 92.8),
        ("GEOM (geometric transformations)", 93.5),
    ];

    private sealed record Method(string Name, string Description, Func<InMemoryDataset, long, TrainerOptions, Func<InMemoryDataset, Scored>>? Fit, int? PcaComponents = null);

    /// <summary>A method's test scores and its decisions at the conformal thresholds for <see cref="Alpha"/> and <see cref="DefaultAlpha"/>.</summary>
    private sealed record Scored(double[] Scores, bool[] AtAlpha, bool[] AtDefault);

    /// <summary>False-positive rate on the normal test images and recall on the anomalies, per seed.</summary>
    private sealed record Decisions(List<double> FalsePositiveRate, List<double> Recall, List<double> DefaultFalsePositiveRate, List<double> DefaultRecall);

    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var quick = options.Quick;
        var folder = BenchmarkData.ResolveFolder(options);
        var classes = quick ? new[] { 0, 7 } : Enumerable.Range(0, 10).ToArray();
        var seeds = quick ? new long[] { 1 } : [1, 2];
        var training = DefaultArchitecture.Training with { Epochs = quick ? 3 : 10, Threads = options.Threads };
        var loadStart = MachineInfo.LoadAverage();
        var total = Stopwatch.StartNew();

        using var fashion = FashionMnist.Load(folder, maxTest: quick ? 2000 : null);
        var methods = new List<Method>
        {
            new("detector (library default: conv AE)", "AnomalyDetector.Fit with default options: convolutional AE, channels [32, 64], 32-value code, sigmoid output, reconstruction error, threshold split-conformal on 20 % held-out images",
                (data, seed, t) => Detector(data, AnomalyDetectorOptions.Default with { Training = t, Seed = seed })),
            new("dense AE", "784-256-64-(32)-64-256-784, ReLU, sigmoid output, reconstruction error",
                (data, seed, t) => Detector(data, AnomalyDetectorOptions.Default with { Spec = AutoencoderSpec.Dense([1, 28, 28], 32, [256, 64], output: OutputActivation.Sigmoid), Training = t, Seed = seed })),
            new("VAE (−ELBO)", "dense VAE 784-256-(16)-256-784, Bernoulli likelihood, score = negative ELBO",
                (data, seed, t) => Detector(data, AnomalyDetectorOptions.Default with { Spec = AutoencoderSpec.Variational([1, 28, 28], 16, [256]), Score = AnomalyScoreKind.NegativeElbo, Training = t, Seed = seed })),
            new("PCA, k = 10", "reconstruction error of the top-10 principal components of the class (AUROC: PCA of all the class's images, as published; decisions: PCA of the detectors' 80 % split, calibrated on the other 20 %)", null, 10),
            new("PCA, k = 32", "the same with the top-32 principal components", null, 32),
        };

        var auroc = methods.ToDictionary(m => m.Name, _ => new Dictionary<int, List<double>>());
        var decisions = methods.ToDictionary(m => m.Name, _ => new Dictionary<int, Decisions>());
        var seconds = methods.ToDictionary(m => m.Name, _ => 0.0);
        using var testLabels = fashion.Test.Labels!.clone();
        var labels = testLabels.data<long>().ToArray();
        foreach (var c in classes)
        {
            using var classData = ClassSubset(fashion.Train, c, quick ? 1000 : null);
            var isAnomaly = labels.Select(l => l != c).ToArray();
            foreach (var method in methods)
            {
                auroc[method.Name][c] = [];
                var decided = decisions[method.Name][c] = new Decisions([], [], [], []);
                foreach (var seed in method.Fit is null ? seeds.Take(1) : seeds)
                {
                    var watch = Stopwatch.StartNew();
                    var score = method.Fit is null ? PcaScorer(classData, method.PcaComponents!.Value, seeds[0]) : method.Fit(classData, seed, training);
                    var scored = score(fashion.Test);
                    seconds[method.Name] += watch.Elapsed.TotalSeconds;
                    var value = 100 * AnomalyMetrics.RocAuc(scored.Scores, isAnomaly);
                    auroc[method.Name][c].Add(value);
                    var (fpr, recall) = Rates(scored.AtAlpha, isAnomaly);
                    var (defaultFpr, defaultRecall) = Rates(scored.AtDefault, isAnomaly);
                    decided.FalsePositiveRate.Add(fpr);
                    decided.Recall.Add(recall);
                    decided.DefaultFalsePositiveRate.Add(defaultFpr);
                    decided.DefaultRecall.Add(defaultRecall);
                    Console.WriteLine($"class {c} ({FashionMnist.ClassNames[c]}), {method.Name}, seed {seed}: AUROC {value:f1}, at α = {Alpha}: FPR {fpr:f3} recall {recall:f3}; at α = {DefaultAlpha}: FPR {defaultFpr:f3} recall {defaultRecall:f3}  ({watch.Elapsed.TotalSeconds:f0} s)");
                }
            }
        }

        return Report(options, folder, classes, seeds, training, methods, auroc, decisions, seconds, total.Elapsed, loadStart, MachineInfo.LoadAverage(), fashion.Train.Count, fashion.Test.Count);
    }

    /// <summary>The detector with its default rule (α = 0.01, split-conformal); decisions at α = 0.05 from its p-values.</summary>
    private static Func<InMemoryDataset, Scored> Detector(InMemoryDataset data, AnomalyDetectorOptions options)
    {
        var detector = AnomalyDetector.Fit(data, options with { Threshold = Threshold.FalsePositiveRate(DefaultAlpha, Holdout) });
        return test =>
        {
            using (detector)
            {
                var scores = detector.Score(test);
                var pValues = scores.Select(detector.PValue).ToArray();
                var atDefault = scores.Select(s => s > detector.DecisionThreshold).ToArray();
                if (!pValues.Select(p => p <= DefaultAlpha).SequenceEqual(atDefault))
                {
                    throw new InvalidOperationException("p ≤ α and score > threshold disagree; the conformal rule is broken.");
                }

                return new Scored(scores, pValues.Select(p => p <= Alpha).ToArray(), atDefault);
            }
        };
    }

    /// <summary>PCA of all the class's images for the scores; the decisions from a PCA of the detectors' training split, calibrated on the rest.</summary>
    private static Func<InMemoryDataset, Scored> PcaScorer(InMemoryDataset data, int components, long seed)
    {
        var pca = Pca.Fit(data.ToArray(), components);
        var (fit, calibration) = data.Split(Holdout, seed);
        Pca split;
        double[] calibrationScores;
        using (fit)
        using (calibration)
        {
            split = Pca.Fit(fit.ToArray(), components);
            calibrationScores = split.ReconstructionErrors(calibration.ToArray().ToMatrix()).ToArray();
        }

        var atAlpha = Threshold.FalsePositiveRate(Alpha, Holdout).Compute(calibrationScores);
        var atDefault = Threshold.FalsePositiveRate(DefaultAlpha, Holdout).Compute(calibrationScores);
        return test =>
        {
            var rows = test.ToArray().ToMatrix();
            var splitScores = split.ReconstructionErrors(rows).ToArray();
            return new Scored(pca.ReconstructionErrors(rows).ToArray(), splitScores.Select(s => s > atAlpha).ToArray(), splitScores.Select(s => s > atDefault).ToArray());
        };
    }

    /// <summary>The share of normal samples flagged and the share of anomalies flagged.</summary>
    private static (double FalsePositiveRate, double Recall) Rates(bool[] flagged, bool[] isAnomaly)
    {
        int normal = 0, falseAlarms = 0, anomalies = 0, found = 0;
        for (var i = 0; i < flagged.Length; i++)
        {
            if (isAnomaly[i])
            {
                anomalies++;
                found += flagged[i] ? 1 : 0;
            }
            else
            {
                normal++;
                falseAlarms += flagged[i] ? 1 : 0;
            }
        }

        return (falseAlarms / (double)normal, found / (double)anomalies);
    }

    private static InMemoryDataset ClassSubset(InMemoryDataset data, int label, int? max)
    {
        using var scope = torch.NewDisposeScope();
        var mask = data.Labels!.eq(label);
        var features = data.Features.index(mask);
        if (max is { } m && features.shape[0] > m)
        {
            features = features.narrow(0, 0, m);
        }

        return InMemoryDataset.FromTensor(features);
    }

    private static BenchmarkReport Report(
        BenchmarkOptions options, string folder, int[] classes, long[] seeds, TrainerOptions training, List<Method> methods,
        Dictionary<string, Dictionary<int, List<double>>> auroc, Dictionary<string, Dictionary<int, Decisions>> decisions, Dictionary<string, double> seconds, TimeSpan elapsed,
        double loadStart, double loadEnd, int trainCount, int testCount)
    {
        var machine = MachineInfo.Collect();
        var root = RepositoryInfo.FindRoot();
        var commit = RepositoryInfo.Commit(root);
        var date = DateTimeOffset.Now;
        var json = new JsonObject
        {
            ["benchmark"] = "b4",
            ["date"] = date.ToString("O", CultureInfo.InvariantCulture),
            ["commit"] = commit,
            ["quick"] = options.Quick,
            ["machine"] = machine.ToJson(),
            ["settings"] = new JsonObject
            {
                ["classes"] = new JsonArray(classes.Select(c => (JsonNode)c).ToArray()),
                ["seeds"] = new JsonArray(seeds.Select(s => (JsonNode)s).ToArray()),
                ["epochs"] = training.Epochs,
                ["batch"] = training.BatchSize,
                ["validation_fraction"] = training.ValidationFraction,
                ["patience"] = training.Patience,
                ["threads"] = training.Threads,
                ["data"] = folder,
                ["train_images"] = trainCount,
                ["test_images"] = testCount,
                ["load_average_start"] = loadStart,
                ["load_average_end"] = loadEnd,
            },
        };
        var results = new JsonObject();
        foreach (var method in methods)
        {
            var perClass = new JsonObject();
            foreach (var (c, values) in auroc[method.Name])
            {
                var decided = decisions[method.Name][c];
                perClass[c.ToString(CultureInfo.InvariantCulture)] = new JsonObject
                {
                    ["mean"] = values.Average(),
                    ["runs"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()),
                    ["false_positive_rate_at_0.05"] = decided.FalsePositiveRate.Average(),
                    ["recall_at_0.05"] = decided.Recall.Average(),
                    ["false_positive_rate_at_0.01"] = decided.DefaultFalsePositiveRate.Average(),
                    ["recall_at_0.01"] = decided.DefaultRecall.Average(),
                };
            }

            results[method.Name] = new JsonObject
            {
                ["description"] = method.Description,
                ["mean_auroc"] = MeanOfMeans(auroc[method.Name]),
                ["mean_false_positive_rate_at_0.05"] = MeanOf(decisions[method.Name], d => d.FalsePositiveRate),
                ["mean_recall_at_0.05"] = MeanOf(decisions[method.Name], d => d.Recall),
                ["mean_false_positive_rate_at_0.01"] = MeanOf(decisions[method.Name], d => d.DefaultFalsePositiveRate),
                ["mean_recall_at_0.01"] = MeanOf(decisions[method.Name], d => d.DefaultRecall),
                ["seed_spread"] = SeedSpread(auroc[method.Name]),
                ["seconds"] = seconds[method.Name],
                ["per_class"] = perClass,
            };
        }

        json["results"] = results;

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# B4 one-class anomaly detection on Fashion-MNIST{(options.Quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Date {date:yyyy-MM-dd HH:mm zzz}, commit `{commit ?? "unknown"}`, {elapsed.TotalMinutes:f1} min.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- b4{(options.Quick ? " --quick" : string.Empty)}`.");
        md.AppendLine();
        md.AppendLine("Protocol (Golan and El-Yaniv 2018): for each class, train on that class's training images only, score every test image, and count the other nine classes as anomalies; AUROC × 100. Every setting below was fixed before the run; nothing was tuned on the test set.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Training: up to {training.Epochs} epochs, batch {training.BatchSize}, Adam 1e-3; the detectors train on {1 - Holdout:p0} of the class's training images (the rest calibrates the threshold) and hold out {training.ValidationFraction:p0} of those for early stopping (patience {training.Patience}); seeds {string.Join(", ", seeds)} (mean reported; PCA is deterministic), {training.Threads} intra-op thread(s). Data: {folder}, {trainCount} training and {testCount} test images.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Load average (1 min): start {loadStart:f2}, end {loadEnd:f2}{(loadStart > MachineInfo.BusyLoad || loadEnd > MachineInfo.BusyLoad ? " — the machine was shared, so times are longer than on an idle machine (AUROC is unaffected)" : string.Empty)}.");
        md.AppendLine();
        md.Append("| method |");
        foreach (var c in classes)
        {
            md.Append(CultureInfo.InvariantCulture, $" {c} {FashionMnist.ClassNames[c]} |");
        }

        md.AppendLine(" mean | spread over seeds | training + scoring time |");
        md.Append("|---|");
        md.AppendLine(string.Concat(Enumerable.Repeat("---|", classes.Length + 3)));
        foreach (var method in methods)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {method.Name} |");
            foreach (var c in classes)
            {
                md.Append(CultureInfo.InvariantCulture, $" {auroc[method.Name][c].Average():f1} |");
            }

            md.AppendLine(CultureInfo.InvariantCulture, $" **{MeanOfMeans(auroc[method.Name]):f1}** | ±{SeedSpread(auroc[method.Name]):f1} | {seconds[method.Name] / 60:f1} min |");
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Decisions at the split-conformal threshold for α = {Alpha} (the k-th smallest of the n ≈ {Holdout:p0} of the class's training images held out from training, k = ⌈(1 − α)(n + 1)⌉): false-positive rate on the class's own test images / recall on the other nine classes' test images, mean over seeds. The guarantee is a false-positive rate of at most α when the test images of the class are exchangeable with its training images. The last columns are the means at the default α = {DefaultAlpha}.");
        md.AppendLine();
        md.Append("| method |");
        foreach (var c in classes)
        {
            md.Append(CultureInfo.InvariantCulture, $" {c} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $" mean FPR / recall at {Alpha} | mean FPR / recall at {DefaultAlpha} |");
        md.Append("|---|");
        md.AppendLine(string.Concat(Enumerable.Repeat("---|", classes.Length + 2)));
        foreach (var method in methods)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {method.Name} |");
            foreach (var c in classes)
            {
                var decided = decisions[method.Name][c];
                md.Append(CultureInfo.InvariantCulture, $" {decided.FalsePositiveRate.Average():f3} / {decided.Recall.Average():f3} |");
            }

            var d = decisions[method.Name];
            md.AppendLine(CultureInfo.InvariantCulture,
                $" **{MeanOf(d, x => x.FalsePositiveRate):f3} / {MeanOf(d, x => x.Recall):f3}** | {MeanOf(d, x => x.DefaultFalsePositiveRate):f3} / {MeanOf(d, x => x.DefaultRecall):f3} |");
        }

        md.AppendLine();
        md.AppendLine("Published reference means (Golan and El-Yaniv 2018, Fashion-MNIST, same protocol):");
        md.AppendLine();
        md.AppendLine("| method | mean AUROC |");
        md.AppendLine("|---|---|");
        foreach (var (name, mean) in References)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {mean:f1} |");
        }

        md.AppendLine();
        md.AppendLine("Methods:");
        md.AppendLine();
        foreach (var method in methods)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- **{method.Name}**: {method.Description}.");
        }

        md.AppendLine();
        md.AppendLine("Spread over seeds: the mean over classes of (max − min) AUROC across seeds.");
        md.AppendLine();
        md.AppendLine(machine.ToMarkdown());
        var fileName = $"B4-{date:yyyy-MM-dd}{(options.Quick ? "-quick" : string.Empty)}.md";
        return new BenchmarkReport(fileName, json, md.ToString());
    }

    private static double MeanOfMeans(Dictionary<int, List<double>> perClass) => perClass.Values.Average(v => v.Average());

    private static double MeanOf(Dictionary<int, Decisions> perClass, Func<Decisions, List<double>> pick) => perClass.Values.Average(d => pick(d).Average());

    private static double SeedSpread(Dictionary<int, List<double>> perClass) => perClass.Values.Average(v => v.Max() - v.Min());
}
