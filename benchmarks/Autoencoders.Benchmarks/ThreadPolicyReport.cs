using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Native;

namespace Autoencoders.Benchmarks;

/// <summary>B1's thread-policy sections: the default against explicit counts (idle, busy) and the spin-count sweep.</summary>
internal static class ThreadPolicyReport
{
    /// <summary>Idle machine: the default must reach this share of the best explicit thread count.</summary>
    public const double IdleTarget = 0.95;

    /// <summary>One busy process per logical CPU: the default must reach this share of one thread.</summary>
    public const double BusyTarget = 0.9;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static JsonObject Json(ThreadPolicyResults policy)
    {
        var comparisons = new JsonArray();
        foreach (var c in Comparisons(policy))
        {
            comparisons.Add(new JsonObject
            {
                ["network"] = c.Network,
                ["phase"] = c.Phase,
                ["load"] = c.Load,
                ["default_samples_per_s"] = c.Default.Median,
                ["default_threads_used"] = new JsonArray([.. c.Default.ThreadsUsed.Select(t => (JsonNode?)t)]),
                ["reference"] = c.ReferenceName,
                ["reference_samples_per_s"] = c.Reference.Median,
                ["ratio"] = c.Ratio,
                ["target"] = c.Target,
                ["met"] = c.Ratio >= c.Target,
            });
        }

        return new JsonObject
        {
            ["wait_policy"] = policy.WaitPolicy,
            ["physical_cores"] = policy.PhysicalCores,
            ["busy_processes"] = BusyProcesses.Count,
            ["samples"] = policy.Samples,
            ["explicit_counts"] = new JsonArray([.. policy.ExplicitCounts.Select(t => (JsonNode?)t)]),
            ["cells"] = Cells(policy.Matrix),
            ["comparisons"] = comparisons,
            ["sweep"] = new JsonArray([.. policy.Sweep.Select(r => (JsonNode?)new JsonObject
            {
                ["gomp_spincount"] = r.SpinCount,
                ["wait_policy"] = r.WaitPolicy,
                ["cells"] = Cells(r.Cells),
            })]),
        };
    }

    public static string Markdown(ThreadPolicyResults policy, B1Settings settings)
    {
        var md = new StringBuilder();
        md.AppendLine("## Thread policy");
        md.AppendLine();
        md.AppendLine(Inv, $"The library's policy in this process: {policy.WaitPolicy}; {policy.PhysicalCores} physical core(s). With `TrainerOptions.Threads` (and `ThreadPolicy.Threads`) null, each run and inference call uses the physical cores (at most {ThreadPolicy.MaximumDefaultThreads}) less those other processes keep busy.");
        md.AppendLine(Inv, $"Library only (`Trainer.Fit` for one epoch, `Reconstruct`), {policy.Samples} samples per run, {settings.PolicyRepetitions} timed runs per setting after a warm-up, settings interleaved in rotating order, medians in samples/s.");
        md.AppendLine(Inv, $"\"Busy\": the benchmark starts {BusyProcesses.Count} competing busy process(es), one per logical CPU, and stops them afterwards.");
        md.AppendLine();
        foreach (var load in new[] { "idle", "busy" })
        {
            md.AppendLine(load == "idle" ? "### Idle machine" : "### Busy machine");
            md.AppendLine();
            md.AppendLine(load == "idle"
                ? $"Target: the default reaches ≥ {IdleTarget:P0} of the best explicit thread count."
                : $"Target: the default reaches ≥ {BusyTarget:P0} of one thread.");
            md.AppendLine();
            var header = string.Join(" | ", policy.ExplicitCounts.Select(t => $"{t} thread{(t == 1 ? string.Empty : "s")}"));
            md.AppendLine(Inv, $"| network | phase | default (threads used) | {header} | default / {(load == "idle" ? "best explicit" : "1 thread")} | met |");
            md.AppendLine(Inv, $"|---|---|---|{string.Concat(policy.ExplicitCounts.Select(_ => "---|"))}---|---|");
            foreach (var c in Comparisons(policy).Where(c => c.Load == load))
            {
                var cells = string.Join(" | ", policy.ExplicitCounts.Select(t => Cell(policy.Matrix, c.Network, c.Phase, load, t.ToString(Inv))?.Median.ToString("F0", Inv) ?? "–"));
                var used = c.Default.ThreadsUsed.Count == 0 ? "chosen per call" : string.Join(",", c.Default.ThreadsUsed.Distinct());
                md.AppendLine(Inv, $"| {c.Network} | {c.Phase} | {c.Default.Median:F0} ({used}) | {cells} | {c.Ratio:F3} | {(c.Ratio >= c.Target ? "yes" : "**no**")} |");
            }

            md.AppendLine();
        }

        if (policy.Sweep.Count > 0)
        {
            var threads = policy.Sweep[0].Cells.Select(c => c.Setting).FirstOrDefault() ?? "?";
            md.AppendLine("### Wait-policy sweep");
            md.AppendLine();
            md.AppendLine(Inv, $"The library at {threads} explicit threads, {settings.SweepSamples} samples per run, one process per `GOMP_SPINCOUNT` (libgomp reads it once, at load; 0 is what `OMP_WAIT_POLICY=PASSIVE` means, 300000 libgomp's default), idle and busy, samples/s (medians). Longer spinning helps an idle machine and hurts a busy one; the library sets {ThreadPolicy.WaitPolicy.Split(' ')[0]} when nobody else chose.");
            md.AppendLine();
            string[] columns = ["BENCH-MLP/training", "BENCH-MLP/inference", "BENCH-CONV/training", "BENCH-CONV/inference"];
            md.AppendLine(Inv, $"| GOMP_SPINCOUNT | {string.Join(" | ", columns.Select(c => $"{c} idle | {c} busy"))} |");
            md.AppendLine(Inv, $"|---|{string.Concat(columns.Select(_ => "---|---|"))}");
            foreach (var result in policy.Sweep)
            {
                var values = columns.SelectMany(column =>
                {
                    var (network, phase) = (column.Split('/')[0], column.Split('/')[1]);
                    return new[] { "idle", "busy" }.Select(load => result.Cells.FirstOrDefault(c => c.Network == network && c.Phase == phase && c.Load == load)?.Median.ToString("F0", Inv) ?? "–");
                });
                md.AppendLine(Inv, $"| {result.SpinCount} | {string.Join(" | ", values)} |");
            }

            if (LibrarySpinCount() is { } ours && policy.Sweep.FirstOrDefault(r => r.SpinCount == ours) is { } row)
            {
                var shares = columns.SelectMany(column =>
                {
                    var (network, phase) = (column.Split('/')[0], column.Split('/')[1]);
                    return new[] { "idle", "busy" }.Select(load =>
                    {
                        double? Median(WaitPolicySweep.Result r) => r.Cells.FirstOrDefault(c => c.Network == network && c.Phase == phase && c.Load == load)?.Median;
                        var best = policy.Sweep.Max(Median);
                        return Median(row) is { } value && best is > 0 ? (value / best.Value).ToString("P0", Inv) : "–";
                    });
                });
                md.AppendLine(Inv, $"| {ours} (the library's) / best of the sweep | {string.Join(" | ", shares)} |");
            }

            md.AppendLine();
        }

        md.AppendLine("Individual runs (samples/s, in order):");
        md.AppendLine();
        foreach (var cell in policy.Matrix)
        {
            md.AppendLine(Inv, $"- {cell.Load}, {cell.Network}, {cell.Phase}, {cell.Setting}: [{string.Join(", ", cell.Runs.Select(r => r.ToString("F0", Inv)))}]");
        }

        foreach (var result in policy.Sweep)
        {
            foreach (var cell in result.Cells)
            {
                md.AppendLine(Inv, $"- GOMP_SPINCOUNT={result.SpinCount}, {cell.Load}, {cell.Network}, {cell.Phase}, {cell.Setting} threads: [{string.Join(", ", cell.Runs.Select(r => r.ToString("F0", Inv)))}]");
            }
        }

        md.AppendLine();
        return md.ToString();
    }

    /// <summary>The spin count the library sets, from <see cref="ThreadPolicy.WaitPolicy"/> ("GOMP_SPINCOUNT=n (set by …)"); null if it did not set one.</summary>
    private static long? LibrarySpinCount()
    {
        var policy = ThreadPolicy.WaitPolicy;
        const string prefix = "GOMP_SPINCOUNT=";
        return policy.StartsWith(prefix, StringComparison.Ordinal) && policy.Contains("(set by the library)", StringComparison.Ordinal)
            && long.TryParse(policy.AsSpan(prefix.Length, policy.IndexOf(' ', StringComparison.Ordinal) - prefix.Length), NumberStyles.None, Inv, out var value)
            ? value
            : null;
    }

    private sealed record Comparison(string Network, string Phase, string Load, PolicyCell Default, string ReferenceName, PolicyCell Reference, double Target)
    {
        public double Ratio => Default.Median / Reference.Median;
    }

    /// <summary>The targets' comparisons: idle, the default against the best explicit count; busy, against one thread.</summary>
    private static IEnumerable<Comparison> Comparisons(ThreadPolicyResults policy)
    {
        foreach (var group in policy.Matrix.GroupBy(c => (c.Network, c.Phase, c.Load)))
        {
            var defaultCell = group.FirstOrDefault(c => c.Setting == PolicyCell.Default);
            var explicitCells = group.Where(c => c.Setting != PolicyCell.Default).ToList();
            if (defaultCell is null || explicitCells.Count == 0)
            {
                continue;
            }

            if (group.Key.Load == "idle")
            {
                var best = explicitCells.MaxBy(c => c.Median)!;
                yield return new Comparison(group.Key.Network, group.Key.Phase, group.Key.Load, defaultCell, $"best explicit ({best.Setting})", best, IdleTarget);
            }
            else if (explicitCells.FirstOrDefault(c => c.Setting == "1") is { } one)
            {
                yield return new Comparison(group.Key.Network, group.Key.Phase, group.Key.Load, defaultCell, "1 thread", one, BusyTarget);
            }
        }
    }

    private static PolicyCell? Cell(IReadOnlyList<PolicyCell> cells, string network, string phase, string load, string setting) =>
        cells.FirstOrDefault(c => c.Network == network && c.Phase == phase && c.Load == load && c.Setting == setting);

    private static JsonArray Cells(IEnumerable<PolicyCell> cells) => new([.. cells.Select(c => (JsonNode?)new JsonObject
    {
        ["network"] = c.Network,
        ["phase"] = c.Phase,
        ["load"] = c.Load,
        ["setting"] = c.Setting,
        ["median_samples_per_s"] = c.Median,
        ["runs"] = new JsonArray([.. c.Runs.Select(r => (JsonNode?)r)]),
        ["threads_used"] = new JsonArray([.. c.ThreadsUsed.Select(t => (JsonNode?)t)]),
    })]);
}
