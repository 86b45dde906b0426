using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Autoencoders.Benchmarks;

/// <summary>
/// B1's profile: where the CPU time of each B1 workload goes, by kind of work (<see cref="SymbolCategory"/>),
/// for the library beside the hand-written loop. Each workload runs alone in its own process
/// (<see cref="ProfileWorkload"/>) while Linux <c>perf</c> samples it; the report gives CPU microseconds
/// per sample in each category, which is what explains a throughput ratio. A last section measures the
/// square root that the exact Adam update must take from libtorch (<see cref="SquareRootCheck"/>).
/// </summary>
internal static partial class B1Profile
{
    /// <summary>The workloads: network, phase, side; all at the B1 thread count.</summary>
    private static readonly (string Network, string Phase, string Side)[] Workloads =
    [
        ("mlp", "training", "library"),
        ("mlp", "training", "handwritten"),
        ("mlp", "training", "fused"),
        ("conv", "training", "library"),
        ("conv", "training", "handwritten"),
        ("mlp", "inference", "library"),
        ("mlp", "inference", "handwritten"),
        ("conv", "inference", "library"),
        ("conv", "inference", "handwritten"),
    ];

    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var perf = FindPerf() ?? throw new InvalidOperationException(
            "b1-profile samples with Linux perf, which is not installed: 'apt-get install linux-perf' (Debian), then run it again.");
        var seconds = options.Quick ? 3 : 12;
        var folder = BenchmarkData.ResolveFolder(options);
        var machine = MachineInfo.Collect();
        var started = DateTimeOffset.Now;
        var commit = RepositoryInfo.Commit(RepositoryInfo.FindRoot());
        var loads = new List<(string When, double Load)> { ("start", MachineInfo.LoadAverage()) };
        var squareRoot = SquareRootCheck.Measure(options.Threads);
        Console.WriteLine($"sqrt of {squareRoot.Elements} values: " + string.Join(", ", squareRoot.Milliseconds.Select(m => $"{m.Key} {m.Value:F3} ms")) +
            $"; rounded otherwise than MathF.Sqrt: {squareRoot.Different} of {squareRoot.Checked}");
        var results = new List<WorkloadProfile>();
        foreach (var (network, phase, side) in Workloads)
        {
            var profile = Profile(perf, network, phase, side, options.Threads, seconds, folder);
            Console.WriteLine($"{network} {phase} {side}: {profile.SamplesPerSecond:F0} samples/s, {profile.CpusUtilized:F2} CPUs, " +
                string.Join(", ", profile.Shares().Take(4).Select(s => $"{s.Category.Split(' ')[0]} {100 * s.Share:F0} %")));
            results.Add(profile);
        }

        loads.Add(("end", MachineInfo.LoadAverage()));
        var finished = DateTimeOffset.Now;
        var json = new JsonObject
        {
            ["benchmark"] = "b1-profile",
            ["quick"] = options.Quick,
            ["threads"] = options.Threads,
            ["sampling_hz"] = WorkloadProfile.Frequency,
            ["seconds_per_workload"] = seconds,
            ["workloads"] = new JsonArray([.. results.Select(r => (JsonNode)r.ToJson())]),
            ["square_root"] = squareRoot.ToJson(),
        }.With(machine, loads, commit, started, finished);
        var name = $"B1-profile-{started:yyyy-MM-dd}{(options.Quick ? "-quick" : string.Empty)}.md";
        return new BenchmarkReport(name, json, Markdown(results, options, seconds, machine, loads, commit, started, perf) + Environment.NewLine + squareRoot.ToMarkdown(options.Threads));
    }

    private static WorkloadProfile Profile(string perf, string network, string phase, string side, int threads, int seconds, string folder)
    {
        var start = SelfProcess.StartInfo(ProfileWorkload.Command, network, phase, side, threads.ToString(CultureInfo.InvariantCulture),
            (seconds + 4).ToString(CultureInfo.InvariantCulture), folder);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The workload process did not start.");
        var ready = child.StandardOutput.ReadLine();
        if (ready != "ready")
        {
            throw new InvalidOperationException($"The workload {network} {phase} {side} did not start: {ready}{child.StandardError.ReadToEnd()}");
        }

        var data = Path.Combine(Path.GetTempPath(), $"b1-profile-{Environment.ProcessId}-{network}-{phase}-{side}.data");
        try
        {
            RunTool(perf, ["record", "-F", WorkloadProfile.Frequency.ToString(CultureInfo.InvariantCulture), "-p", child.Id.ToString(CultureInfo.InvariantCulture),
                "-o", data, "--", "sleep", seconds.ToString(CultureInfo.InvariantCulture)]);
            string? done;
            while ((done = child.StandardOutput.ReadLine()) is not null && !done.StartsWith("done ", StringComparison.Ordinal))
            {
            }

            child.WaitForExit();
            if (done is null)
            {
                throw new InvalidOperationException($"The workload {network} {phase} {side} ended without a result: {child.StandardError.ReadToEnd()}");
            }

            var rate = double.Parse(done["done ".Length..], CultureInfo.InvariantCulture);
            var counts = SymbolCategory.All.ToDictionary(c => c, _ => 0L);
            foreach (var line in RunTool(perf, ["script", "-i", data, "-F", "tid,ip,sym,dso"]).Split('\n'))
            {
                var match = SampleLine().Match(line);
                if (match.Success)
                {
                    counts[SymbolCategory.Of(match.Groups["symbol"].Value, match.Groups["library"].Value)]++;
                }
            }

            return new WorkloadProfile(network, phase, side, rate, seconds, counts);
        }
        finally
        {
            File.Delete(data);
        }
    }

    private static string? FindPerf() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "perf")).FirstOrDefault(File.Exists);

    private static string RunTool(string tool, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {error.Result}");
        }

        return output;
    }

    /// <summary>One sample of <c>perf script -F tid,ip,sym,dso</c>: "  1234  7f00abcd symbol (library)".</summary>
    [GeneratedRegex(@"^\s*\d+\s+[0-9a-f]+\s+(?<symbol>.*)\s+\((?<library>[^()]*)\)\s*$")]
    private static partial Regex SampleLine();

    private static string Markdown(
        List<WorkloadProfile> results, BenchmarkOptions options, int seconds, MachineInfo machine,
        List<(string When, double Load)> loads, string? commit, DateTimeOffset started, string perf)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# B1 profile{(options.Quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(inv, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- b1-profile{(options.Quick ? " --quick" : string.Empty)}` on {started:yyyy-MM-dd HH:mm} at commit {commit ?? "unknown"}.");
        md.AppendLine();
        md.AppendLine(machine.ToMarkdown());
        md.AppendLine();
        md.AppendLine(inv, $"Each workload ran alone in its own process: B1's network, 10,000 Fashion-MNIST images per pass, {options.Threads} intra-op thread(s), batches of 128 for training; library inference through `Reconstruct`, hand-written as in B1. After two warm-up passes, `{perf} record -F {WorkloadProfile.Frequency}` sampled every thread for {seconds} s. Each sample is put in a category by its innermost function (symbol and library, `SymbolCategory`). The tables give the CPU time per sample in each category, in µs (all threads together), and its share of the workload's CPU time. Samples/s is the workload's own throughput over its timed passes; sampling costs a few per cent of it, alike for both sides.");
        md.AppendLine();
        md.AppendLine(inv, $"Load average (1 min): {string.Join(", ", loads.Select(l => $"{l.When} {l.Load:F2}"))} (the end includes the workloads' own threads).{(loads[0].Load > MachineInfo.BusyLoad ? " **The machine was busy when the profile started: it is not an idle-machine profile.**" : string.Empty)}");
        foreach (var group in results.GroupBy(r => (r.Network, r.Phase)))
        {
            var sides = group.ToList();
            md.AppendLine();
            md.AppendLine(inv, $"## {(group.Key.Network == "mlp" ? BenchNetwork.Mlp.Name : BenchNetwork.Conv.Name)}, {group.Key.Phase}");
            md.AppendLine();
            md.AppendLine("| category | " + string.Join(" | ", sides.Select(s => $"{s.SideLabel} µs/sample | {s.SideLabel} share")) + " |");
            md.AppendLine("|---|" + string.Concat(sides.Select(_ => "---|---|")));
            foreach (var category in SymbolCategory.All.Where(c => sides.Any(s => s.Share(c) >= 0.0005)))
            {
                var cells = sides.Select(s => string.Create(inv, $"{s.MicrosecondsPerSample(category):F2} | {100 * s.Share(category):F1} %"));
                md.AppendLine($"| {category} | {string.Join(" | ", cells)} |");
            }

            md.AppendLine("| **total CPU** | " + string.Join(" | ", sides.Select(s => "**" + s.MicrosecondsPerSample(null).ToString("F2", inv) + "** | 100 %")) + " |");
            md.AppendLine("| samples/s | " + string.Join(" | ", sides.Select(s => s.SamplesPerSecond.ToString("F0", inv) + " | ")) + " |");
            md.AppendLine("| CPUs utilised | " + string.Join(" | ", sides.Select(s => s.CpusUtilized.ToString("F2", inv) + " | ")) + " |");
        }

        return md.ToString();
    }
}
