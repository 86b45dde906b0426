using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Training;

namespace Autoencoders.Benchmarks;

/// <summary>
/// Soak: a long library training run of BENCH-MLP that samples resident memory after every epoch, to show
/// that one dispose scope per step keeps native memory flat.
/// </summary>
internal static class Soak
{
    /// <summary>Growth from epoch 2 to the end above this share of the epoch-2 RSS counts as not flat.</summary>
    public const double FlatTolerancePercent = 5;

    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var (samples, epochs) = options.Quick ? (10_000, 30) : (60_000, 30);
        var machine = MachineInfo.Collect();
        var loadBefore = MachineInfo.LoadAverage();
        var started = DateTimeOffset.Now;
        Console.WriteLine($"soak {(options.Quick ? "(quick) " : string.Empty)}N={samples} epochs={epochs} threads={options.Threads}; load average {loadBefore:F2}");

        var folder = BenchmarkData.ResolveFolder(options);
        using var data = BenchmarkData.LoadTraining(folder, samples);
        using var model = BenchNetwork.Mlp.BuildLibrary!(BenchmarkOptions.Seed);
        // One collection before training, so that the loader's temporary arrays do not count as the
        // managed baseline; none during training (see ProcessMemory.ManagedMegabytes).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var rssBefore = ProcessMemory.ResidentMegabytes();
        var managedBefore = ProcessMemory.ManagedMegabytes();
        Console.WriteLine($"data: {data.Count} images from {folder}; RSS before training {rssBefore:F1} MB, managed {managedBefore:F1} MB");

        var samplesTaken = new List<SoakSample>();
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 128,
            LearningRate = 1e-3,
            Optimizer = OptimizerKind.Adam,
            Threads = options.Threads,
            Seed = BenchmarkOptions.Seed,
        });
        var progress = new SynchronousProgress<EpochReport>(report =>
        {
            var sample = new SoakSample(
                report.Epoch, report.TrainLoss, report.SamplesPerSecond,
                ProcessMemory.ResidentMegabytes(), ProcessMemory.ManagedMegabytes());
            samplesTaken.Add(sample);
            Console.WriteLine($"  epoch {sample.Epoch,3}  loss {sample.Loss,8:F3}  {sample.SamplesPerSecond,7:F0} samples/s  RSS {sample.RssMegabytes,8:F1} MB  managed {sample.ManagedMegabytes,6:F1} MB");
        });
        var history = trainer.Fit(model, data, progress: progress);
        var finished = DateTimeOffset.Now;
        var loadAfter = MachineInfo.LoadAverage();

        var summary = SoakSummary.From(samplesTaken, rssBefore);
        Console.WriteLine($"RSS epoch 1 {summary.RssFirst:F1} MB, last {summary.RssLast:F1} MB, max {summary.RssMax:F1} MB; growth epoch 2 → end {summary.GrowthMegabytes:+0.0;-0.0} MB ({summary.GrowthPercent:+0.00;-0.00} %), slope {summary.SlopeMegabytesPerEpoch:+0.000;-0.000} MB/epoch");

        var root = RepositoryInfo.FindRoot();
        var commit = RepositoryInfo.Commit(root);
        var busy = loadBefore > MachineInfo.BusyLoad || loadAfter > MachineInfo.BusyLoad;
        var json = new JsonObject
        {
            ["benchmark"] = "soak",
            ["network"] = BenchNetwork.Mlp.Name,
            ["rss_before_training_mb"] = rssBefore,
            ["managed_before_training_mb"] = managedBefore,
            ["rss_epoch1_mb"] = summary.RssFirst,
            ["rss_last_mb"] = summary.RssLast,
            ["rss_max_mb"] = summary.RssMax,
            ["rss_growth_epoch2_to_end_mb"] = summary.GrowthMegabytes,
            ["rss_growth_epoch2_to_end_percent"] = summary.GrowthPercent,
            ["rss_slope_mb_per_epoch"] = summary.SlopeMegabytesPerEpoch,
            ["flat"] = summary.IsFlat,
            ["training_duration_s"] = history.Duration.TotalSeconds,
            ["epochs"] = new JsonArray([.. samplesTaken.Select(s => (JsonNode?)new JsonObject
            {
                ["epoch"] = s.Epoch,
                ["loss"] = s.Loss,
                ["samples_per_s"] = s.SamplesPerSecond,
                ["rss_mb"] = s.RssMegabytes,
                ["managed_mb"] = s.ManagedMegabytes,
            })]),
            ["settings"] = new JsonObject
            {
                ["threads"] = options.Threads,
                ["batch"] = 128,
                ["learning_rate"] = 1e-3,
                ["optimizer"] = "Adam",
                ["n"] = data.Count,
                ["epochs"] = epochs,
                ["seed"] = BenchmarkOptions.Seed,
                ["quick"] = options.Quick,
                ["data"] = folder,
            },
            ["machine"] = machine.ToJson(),
            ["load_average"] = new JsonObject { ["start"] = loadBefore, ["end"] = loadAfter },
            ["busy_machine"] = busy,
            ["commit"] = commit,
            ["date"] = started.ToString("O", CultureInfo.InvariantCulture),
        };

        var markdown = Markdown(options, machine, folder, data.Count, epochs, rssBefore, managedBefore, samplesTaken, summary, history, loadBefore, loadAfter, busy, commit, started, finished);
        var name = $"soak-{started:yyyy-MM-dd}{(options.Quick ? "-quick" : string.Empty)}.md";
        return new BenchmarkReport(name, json, markdown);
    }

    private static string Markdown(
        BenchmarkOptions options,
        MachineInfo machine,
        string folder,
        int samples,
        int epochs,
        double rssBefore,
        double managedBefore,
        IReadOnlyList<SoakSample> taken,
        SoakSummary summary,
        TrainingHistory history,
        double loadBefore,
        double loadAfter,
        bool busy,
        string? commit,
        DateTimeOffset started,
        DateTimeOffset finished)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# Soak: native memory over a long training run{(options.Quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(inv, $"Date {started:yyyy-MM-dd HH:mm zzz}, commit `{commit ?? "unknown"}`, {(finished - started).TotalMinutes:F1} min.");
        md.AppendLine(inv, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- soak{(options.Quick ? " --quick" : string.Empty)}{(options.Threads != BenchmarkOptions.DefaultThreads ? $" --threads {options.Threads}" : string.Empty)}`.");
        md.AppendLine();
        md.AppendLine(inv, $"BENCH-MLP trained through `Trainer.Fit` for {epochs} epochs over {samples} Fashion-MNIST images ({folder}), Adam lr 0.001, batch 128, {options.Threads} intra-op thread(s), seed {BenchmarkOptions.Seed}. After every epoch the progress callback reads VmRSS from /proc/self/status and `GC.GetTotalMemory(false)` (no forced collection, so a leak of undisposed tensors would not be hidden by finalizers).");
        md.AppendLine();
        md.AppendLine(inv, $"Load average (1 min): start {loadBefore:F2}, end {loadAfter:F2}.{(busy ? $" **The machine was busy (above {MachineInfo.BusyLoad}); speeds are lower than on an idle machine (memory figures are unaffected).**" : string.Empty)}");
        md.AppendLine();
        md.AppendLine("| result | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(inv, $"| RSS before training | {rssBefore:F1} MB (managed heap {managedBefore:F1} MB after one collection) |");
        md.AppendLine(inv, $"| RSS after epoch 1 | {summary.RssFirst:F1} MB |");
        md.AppendLine(inv, $"| RSS after the last epoch ({taken.Count}) | {summary.RssLast:F1} MB |");
        md.AppendLine(inv, $"| RSS maximum | {summary.RssMax:F1} MB |");
        md.AppendLine(inv, $"| growth from epoch 2 to the end | {summary.GrowthMegabytes:+0.0;-0.0;0.0} MB ({summary.GrowthPercent:+0.00;-0.00;0.00} %) |");
        md.AppendLine(inv, $"| least-squares slope, epochs 2 to end | {summary.SlopeMegabytesPerEpoch:+0.000;-0.000;0.000} MB/epoch |");
        md.AppendLine(inv, $"| verdict | {(summary.IsFlat ? "flat" : "NOT flat")} (tolerance {FlatTolerancePercent} % from epoch 2) |");
        md.AppendLine(inv, $"| training time | {history.Duration.TotalMinutes:F1} min |");
        md.AppendLine();
        md.AppendLine(machine.ToMarkdown());
        md.AppendLine();
        md.AppendLine("| epoch | train loss | samples/s | RSS MB | managed MB |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var s in taken)
        {
            md.AppendLine(inv, $"| {s.Epoch} | {s.Loss:F3} | {s.SamplesPerSecond:F0} | {s.RssMegabytes:F1} | {s.ManagedMegabytes:F1} |");
        }

        return md.ToString();
    }

    /// <summary>
    /// An <see cref="IProgress{T}"/> that runs its callback on the reporting thread, immediately
    /// (<see cref="Progress{T}"/> would post it to the thread pool, and the RSS would be read later).
    /// </summary>
    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
