using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Autoencoders.Benchmarks;

/// <summary>Turns B1's measurements into the JSON summary and the Markdown report.</summary>
internal static class B1Report
{
    public static BenchmarkReport Create(
        B1Settings settings,
        MachineInfo machine,
        string? commit,
        string dataFolder,
        int samples,
        IReadOnlyList<NetworkMeasurement> measurements,
        IReadOnlyDictionary<int, (double Median, double[] Runs)> peaks,
        IReadOnlyList<(string When, double Load)> loads,
        DateTimeOffset started,
        DateTimeOffset finished,
        ThreadPolicyResults policy)
    {
        var main = measurements.First(m => m.Network == BenchNetwork.Mlp && m.Threads == settings.Threads);
        var busy = loads.Any(l => l.Load > MachineInfo.BusyLoad);

        var json = new JsonObject
        {
            ["benchmark"] = "B1",
            ["library_samples_per_s"] = main.Training.LibraryMedian,
            ["handwritten_samples_per_s"] = main.Training.HandwrittenMedian,
            ["ratio"] = main.Training.Ratio,
            ["networks"] = NetworksJson(settings, measurements),
            ["sgemm_peak_gflops"] = new JsonObject(peaks.Select(p => KeyValuePair.Create<string, JsonNode?>(
                p.Key.ToString(CultureInfo.InvariantCulture),
                new JsonObject { ["median"] = p.Value.Median, ["runs"] = ToArray(p.Value.Runs) }))),
            ["settings"] = new JsonObject
            {
                ["threads"] = settings.Threads,
                ["thread_passes"] = new JsonArray([.. settings.ThreadPasses.Select(t => (JsonNode?)t)]),
                ["batch"] = settings.BatchSize,
                ["learning_rate"] = settings.LearningRate,
                ["optimizer"] = "Adam",
                ["n"] = samples,
                ["r"] = settings.Repetitions,
                ["inference_batch"] = B1Settings.InferenceBatchSize, // the hand-written side's; the library uses its own
                ["seed"] = settings.Seed,
                ["quick"] = settings.Quick,
                ["data"] = dataFolder,
                ["library_timing"] = "stopwatch around Trainer.Fit (1 epoch), whole call",
            },
            ["thread_policy"] = ThreadPolicyReport.Json(policy),
        }.With(machine, loads, commit, started, finished);

        var name = $"B1-{started:yyyy-MM-dd}{(settings.Quick ? "-quick" : string.Empty)}.md";
        return new BenchmarkReport(name, json, Markdown(settings, machine, dataFolder, samples, measurements, peaks, loads, busy, commit, started, finished) + ThreadPolicyReport.Markdown(policy, settings));
    }

    private static JsonObject NetworksJson(B1Settings settings, IReadOnlyList<NetworkMeasurement> measurements)
    {
        var networks = new JsonObject();
        foreach (var group in measurements.GroupBy(m => m.Network))
        {
            var network = group.Key;
            var first = group.First();
            var byThreads = new JsonObject();
            foreach (var m in group)
            {
                byThreads[m.Threads.ToString(CultureInfo.InvariantCulture)] = new JsonObject
                {
                    ["peak_gflops"] = m.PeakGflops,
                    ["training"] = SideJson(m.Training, network.TrainingFlopsPerSample, m.PeakGflops, m.LibraryReportedSamplesPerSecond),
                    ["training_fused_optimizer"] = m.FusedTraining is null ? null : SideJson(m.FusedTraining, network.TrainingFlopsPerSample, m.PeakGflops, null),
                    ["inference"] = m.Inference is null ? null : SideJson(m.Inference, network.ForwardFlopsPerSample, m.PeakGflops, null),
                    ["library_loss_last_epoch"] = m.LibraryLoss,
                    ["handwritten_loss_last_epoch"] = m.HandwrittenLoss,
                };
            }

            var oneThread = group.FirstOrDefault(m => m.Threads == 1);
            var mainPass = group.FirstOrDefault(m => m.Threads == settings.Threads);
            networks[network.Name] = new JsonObject
            {
                ["layers"] = network.Layers,
                ["library_measured"] = network.BuildLibrary is not null,
                ["library_missing_reason"] = network.LibraryMissingReason,
                ["library_parameters"] = first.LibraryParameters,
                ["handwritten_parameters"] = first.HandwrittenParameters,
                ["equivalence_max_abs_diff"] = first.EquivalenceMaxAbsDiff,
                ["forward_flops_per_sample"] = network.ForwardFlopsPerSample,
                ["training_flops_per_sample"] = network.TrainingFlopsPerSample,
                ["threads"] = byThreads,
                ["thread_speedup_training"] = oneThread is null || mainPass is null || ReferenceEquals(oneThread, mainPass)
                    ? null
                    : new JsonObject
                    {
                        ["threads"] = settings.Threads,
                        ["library"] = mainPass.Training.LibraryMedian / oneThread.Training.LibraryMedian,
                        ["handwritten"] = mainPass.Training.HandwrittenMedian / oneThread.Training.HandwrittenMedian,
                    },
            };
        }

        return networks;
    }

    private static JsonObject SideJson(SideBySide side, double flopsPerSample, double peak, IReadOnlyList<double>? reported)
    {
        var library = side.LibraryMedian;
        var hand = side.HandwrittenMedian;
        var result = new JsonObject
        {
            ["library_samples_per_s"] = library,
            ["handwritten_samples_per_s"] = hand,
            ["ratio"] = side.Ratio,
            ["library_gflops"] = library is { } l ? NetworkMeasurement.Gflops(l, flopsPerSample) : null,
            ["handwritten_gflops"] = NetworkMeasurement.Gflops(hand, flopsPerSample),
            ["library_fraction_of_peak"] = library is { } l2 ? NetworkMeasurement.Gflops(l2, flopsPerSample) / peak : null,
            ["handwritten_fraction_of_peak"] = NetworkMeasurement.Gflops(hand, flopsPerSample) / peak,
            ["library_runs"] = ToArray(side.Library),
            ["handwritten_runs"] = ToArray(side.Handwritten),
        };
        if (reported is not null)
        {
            result["library_epoch_report_samples_per_s"] = reported.Count == 0 ? null : Stats.Median([.. reported]);
        }

        return result;
    }

    private static JsonArray ToArray(IEnumerable<double> values) => new([.. values.Select(v => (JsonNode?)v)]);

    private static string Markdown(
        B1Settings settings,
        MachineInfo machine,
        string dataFolder,
        int samples,
        IReadOnlyList<NetworkMeasurement> measurements,
        IReadOnlyDictionary<int, (double Median, double[] Runs)> peaks,
        IReadOnlyList<(string When, double Load)> loads,
        bool busy,
        string? commit,
        DateTimeOffset started,
        DateTimeOffset finished)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"# B1 training and inference throughput{(settings.Quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(inv, $"Date {started:yyyy-MM-dd HH:mm zzz}, commit `{commit ?? "unknown"}`, {(finished - started).TotalMinutes:F1} min.");
        md.AppendLine(inv, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- b1{(settings.Quick ? " --quick" : string.Empty)}{(settings.Threads != BenchmarkOptions.DefaultThreads ? $" --threads {settings.Threads}" : string.Empty)}`.");
        md.AppendLine();
        if (settings.Quick)
        {
            md.AppendLine("A quick run checks that the benchmark works; its small N makes the numbers noisier than a full run's.");
            md.AppendLine();
        }

        md.AppendLine(inv, $"Load average (1 min): {string.Join(", ", loads.Select(l => $"{l.When} {l.Load:F2}"))}.");
        if (busy)
        {
            md.AppendLine();
            md.AppendLine(inv, $"**The machine was busy (load average above {MachineInfo.BusyLoad}) during this run: absolute numbers are lower and noisier than on an idle machine; the side-by-side ratios are less affected because both sides ran interleaved under the same load.**");
        }

        md.AppendLine();
        md.AppendLine("| setting | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(inv, $"| training samples N (also reconstructed for inference) | {samples} |");
        md.AppendLine(inv, $"| repetitions R (medians reported) | {settings.Repetitions} per side, interleaved, after one warm-up each |");
        md.AppendLine(inv, $"| intra-op threads | {string.Join(", then ", settings.ThreadPasses)} (training only at 1) |");
        md.AppendLine(inv, $"| optimiser | Adam, lr {settings.LearningRate.ToString(inv)}, batch {settings.BatchSize}, shuffled each epoch; the library runs it as its exact flat update (bit-identical to TorchSharp's) and, in a third interleaved side, with `FusedOptimizer` |");
        md.AppendLine(inv, $"| inference | hand-written in batches of {B1Settings.InferenceBatchSize}; the library in its own batch size (1024 images for BENCH-MLP, 64 for BENCH-CONV) on one worker per thread; no_grad, eval mode, result copied to a managed array |");
        md.AppendLine(inv, $"| seed | {settings.Seed} |");
        md.AppendLine(inv, $"| data | {dataFolder} |");
        md.AppendLine("| library timing | stopwatch around `Trainer.Fit` for 1 epoch (the whole call: optimiser creation, thread setting, shuffling, steps); the hand-written epoch is timed the same way |");
        md.AppendLine();
        md.AppendLine(machine.ToMarkdown());
        md.AppendLine();

        md.AppendLine("## SGEMM peak");
        md.AppendLine();
        md.AppendLine("`torch.mm` of two 2048×2048 float32 matrices (2·2048³ FLOPs), median after two warm-ups.");
        md.AppendLine();
        md.AppendLine("| threads | GFLOP/s (median) | runs |");
        md.AppendLine("|---|---|---|");
        foreach (var (threads, peak) in peaks.OrderByDescending(p => p.Key))
        {
            md.AppendLine(inv, $"| {threads} | {peak.Median:F1} | {string.Join(", ", peak.Runs.Select(r => r.ToString("F1", inv)))} |");
        }

        md.AppendLine();
        foreach (var group in measurements.GroupBy(m => m.Network))
        {
            var network = group.Key;
            var first = group.First();
            md.AppendLine(inv, $"## {network.Name}");
            md.AppendLine();
            md.AppendLine(inv, $"{network.Layers}. Forward {network.ForwardFlopsPerSample / 1e6:F3} MFLOP/sample, training ≈ 3× = {network.TrainingFlopsPerSample / 1e6:F3} MFLOP/sample.");
            md.AppendLine();
            if (network.BuildLibrary is null)
            {
                md.AppendLine(inv, $"**Library not measured:** {network.LibraryMissingReason}");
            }
            else
            {
                md.AppendLine(inv, $"Same network: library {first.LibraryParameters:N0} parameters, hand-written {first.HandwrittenParameters:N0}; with the library's initial weights copied into the hand-written net the outputs differ by at most {first.EquivalenceMaxAbsDiff:g3}.");
            }

            md.AppendLine();
            md.AppendLine("| threads | phase | library samples/s | hand-written samples/s | ratio lib/hand | library GFLOP/s | hand-written GFLOP/s | peak GFLOP/s | library % of peak | hand-written % of peak |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var m in group)
            {
                md.AppendLine(Row(m.Threads, "training", m.Training, network.TrainingFlopsPerSample, m.PeakGflops));
                if (m.FusedTraining is not null)
                {
                    md.AppendLine(Row(m.Threads, "training, `FusedOptimizer`", m.FusedTraining, network.TrainingFlopsPerSample, m.PeakGflops));
                }
                if (m.Inference is not null)
                {
                    md.AppendLine(Row(m.Threads, "inference", m.Inference, network.ForwardFlopsPerSample, m.PeakGflops));
                }
            }

            md.AppendLine();
            var one = group.FirstOrDefault(m => m.Threads == 1);
            var mainPass = group.FirstOrDefault(m => m.Threads == settings.Threads);
            if (one is not null && mainPass is not null && !ReferenceEquals(one, mainPass))
            {
                md.AppendLine(inv,
                    $"Training speed-up of {settings.Threads} threads over 1: library {Format(mainPass.Training.LibraryMedian / one.Training.LibraryMedian, "F2")}×, hand-written {mainPass.Training.HandwrittenMedian / one.Training.HandwrittenMedian:F2}×.");
                md.AppendLine();
            }

            md.AppendLine("Individual runs (samples/s, in order):");
            md.AppendLine();
            foreach (var m in group)
            {
                md.AppendLine(inv, $"- {m.Threads} thread(s), training: library [{Join(m.Training.Library)}], library with FusedOptimizer [{Join(m.FusedTraining?.Library ?? [])}], hand-written [{Join(m.Training.Handwritten)}]; the library's own EpochReport.SamplesPerSecond (steps only) [{Join(m.LibraryReportedSamplesPerSecond)}]; last-epoch loss library {Format(m.LibraryLoss, "F2")}, hand-written {m.HandwrittenLoss:F2}");
                if (m.Inference is not null)
                {
                    md.AppendLine(inv, $"- {m.Threads} thread(s), inference: library [{Join(m.Inference.Library)}], hand-written [{Join(m.Inference.Handwritten)}]");
                }
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    private static string Row(int threads, string phase, SideBySide side, double flopsPerSample, double peak)
    {
        var library = side.LibraryMedian;
        var hand = side.HandwrittenMedian;
        double? libraryGflops = library is { } l ? NetworkMeasurement.Gflops(l, flopsPerSample) : null;
        var handGflops = NetworkMeasurement.Gflops(hand, flopsPerSample);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {threads} | {phase} | {Format(library, "F0")} | {hand:F0} | {Format(side.Ratio, "F3")} | {Format(libraryGflops, "F2")} | {handGflops:F2} | {peak:F1} | {Format(libraryGflops / peak * 100, "F1")} | {handGflops / peak * 100:F1} |");
    }

    private static string Format(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Join(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));
}
