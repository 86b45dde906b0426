using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Linear;
using Autoencoders.Model;
using Autoencoders.Training;
using TorchSharp;

namespace Autoencoders.Benchmarks;

/// <summary>
/// B4: one-class anomaly detection on Fashion-MNIST (Golan and El-Yaniv 2018 protocol). For each class:
/// train on that class's training images only, score the whole test set, count the other nine classes
/// as anomalies, report AUROC. Nothing is tuned on the test set: every setting is fixed in advance.
/// </summary>
internal static class B4OneClass
{
    private static readonly (string Name, double Mean)[] References =
    [
        ("PCA reconstruction error, k = 10", 89.7),
        ("PCA reconstruction error, k = 32", 90.5),
        ("distance to the class mean", 89.3),
        ("OC-SVM on conv-AE features (tuned on test)", 91.7),
        ("OC-SVM on raw pixels", 92.8),
        ("GEOM (geometric transformations)", 93.5),
    ];

    private sealed record Method(string Name, string Description, Func<InMemoryDataset, long, TrainerOptions, Func<InMemoryDataset, double[]>>? Fit, int? PcaComponents = null);

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
            new("detector (library default: conv AE)", "AnomalyDetector.Fit with default options: convolutional AE, channels [32, 64], 32-value code, sigmoid output, reconstruction error",
                (data, seed, t) => Detector(data, AnomalyDetectorOptions.Default with { Training = t, Seed = seed })),
            new("dense AE", "784-256-64-(32)-64-256-784, ReLU, sigmoid output, reconstruction error",
                (data, seed, t) => Detector(data, AnomalyDetectorOptions.Default with { Spec = AutoencoderSpec.Dense([1, 28, 28], 32, [256, 64], output: OutputActivation.Sigmoid), Training = t, Seed = seed })),
            new("VAE (−ELBO)", "dense VAE 784-256-(16)-256-784, Bernoulli likelihood, score = negative ELBO",
                (data, seed, t) => Detector(data, AnomalyDetectorOptions.Default with { Spec = AutoencoderSpec.Variational([1, 28, 28], 16, [256]), Score = AnomalyScoreKind.NegativeElbo, Training = t, Seed = seed })),
            new("PCA, k = 10", "reconstruction error of the top-10 principal components of the class", null, 10),
            new("PCA, k = 32", "reconstruction error of the top-32 principal components of the class", null, 32),
        };

        var auroc = methods.ToDictionary(m => m.Name, _ => new Dictionary<int, List<double>>());
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
                foreach (var seed in method.Fit is null ? seeds.Take(1) : seeds)
                {
                    var watch = Stopwatch.StartNew();
                    var score = method.Fit is null ? PcaScorer(classData, method.PcaComponents!.Value) : method.Fit(classData, seed, training);
                    var scores = score(fashion.Test);
                    seconds[method.Name] += watch.Elapsed.TotalSeconds;
                    var value = 100 * AnomalyMetrics.RocAuc(scores, isAnomaly);
                    auroc[method.Name][c].Add(value);
                    Console.WriteLine($"class {c} ({FashionMnist.ClassNames[c]}), {method.Name}, seed {seed}: AUROC {value:f1}  ({watch.Elapsed.TotalSeconds:f0} s)");
                }
            }
        }

        return Report(options, folder, classes, seeds, training, methods, auroc, seconds, total.Elapsed, loadStart, MachineInfo.LoadAverage(), fashion.Train.Count, fashion.Test.Count);
    }

    private static Func<InMemoryDataset, double[]> Detector(InMemoryDataset data, AnomalyDetectorOptions options)
    {
        var detector = AnomalyDetector.Fit(data, options);
        return test =>
        {
            using (detector)
            {
                return detector.Score(test);
            }
        };
    }

    private static Func<InMemoryDataset, double[]> PcaScorer(InMemoryDataset data, int components)
    {
        var pca = Pca.Fit(data.ToArray(), components);
        return test => pca.ReconstructionErrors(test.ToArray().ToMatrix()).ToArray();
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
        Dictionary<string, Dictionary<int, List<double>>> auroc, Dictionary<string, double> seconds, TimeSpan elapsed,
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
                perClass[c.ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["mean"] = values.Average(), ["runs"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()) };
            }

            results[method.Name] = new JsonObject
            {
                ["description"] = method.Description,
                ["mean_auroc"] = MeanOfMeans(auroc[method.Name]),
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
        md.AppendLine(CultureInfo.InvariantCulture, $"Training: up to {training.Epochs} epochs, batch {training.BatchSize}, Adam 1e-3, {training.ValidationFraction:p0} of the class's training images held out for early stopping (patience {training.Patience}), seeds {string.Join(", ", seeds)} (mean reported; PCA is deterministic), {training.Threads} intra-op thread(s). Data: {folder}, {trainCount} training and {testCount} test images.");
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

    private static double SeedSpread(Dictionary<int, List<double>> perClass) => perClass.Values.Average(v => v.Max() - v.Min());
}
