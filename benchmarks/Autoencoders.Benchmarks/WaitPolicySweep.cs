using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Autoencoders.Native;
using Autoencoders.Training;

namespace Autoencoders.Benchmarks;

/// <summary>
/// The spin-count sweep of B1's thread-policy section: libgomp reads GOMP_SPINCOUNT once, when libtorch
/// loads, so each value runs in its own process (this program, started again with the hidden command
/// <see cref="Command"/> and the variable set, which the library then leaves alone). Each worker measures
/// the library at the largest explicit thread count, idle and busy.
/// </summary>
internal static class WaitPolicySweep
{
    public const string Command = "b1-policy-worker";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>One worker's result: the wait policy it ran under and its cells.</summary>
    public sealed record Result(long SpinCount, string WaitPolicy, List<PolicyCell> Cells);

    /// <summary>Runs one worker per spin count, one after the other.</summary>
    public static List<Result> Run(IReadOnlyList<long> spinCounts, string dataFolder, int samples, int repetitions, int threads)
    {
        var results = new List<Result>();
        foreach (var spin in spinCounts)
        {
            var output = Path.Combine(Path.GetTempPath(), $"b1-policy-{Environment.ProcessId}-{spin}.json");
            var start = SelfProcess.StartInfo(
                Command, "--data", dataFolder, "--samples", Invariant(samples), "--reps", Invariant(repetitions), "--threads", Invariant(threads), "--out", output);
            start.Environment["GOMP_SPINCOUNT"] = Invariant(spin);
            start.Environment.Remove("OMP_WAIT_POLICY");
            using var process = Process.Start(start) ?? throw new InvalidOperationException("The wait-policy worker did not start.");
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    Console.Error.WriteLine($"  [GOMP_SPINCOUNT={spin}] {e.Data}");
                }
            };
            process.BeginErrorReadLine();
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null)
            {
                Console.WriteLine($"  {line}");
            }

            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                throw new InvalidOperationException($"The wait-policy worker for GOMP_SPINCOUNT={spin} failed (exit code {process.ExitCode}).");
            }

            results.Add(JsonSerializer.Deserialize<Result>(File.ReadAllText(output), Json)!);
            File.Delete(output);
        }

        return results;
    }

    /// <summary>The worker: "b1-policy-worker --data folder --samples n --reps r --threads t --out file".</summary>
    public static int Worker(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var spin = long.Parse(Environment.GetEnvironmentVariable("GOMP_SPINCOUNT")!, CultureInfo.InvariantCulture);
        var policy = ThreadPolicy.WaitPolicy; // first touch of the library: nothing has loaded libtorch yet
        if (!policy.StartsWith($"GOMP_SPINCOUNT={spin} ", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"the wait policy is not the one asked for: {policy}");
            return 1;
        }

        using var data = BenchmarkData.LoadTraining(Arg("--data"), int.Parse(Arg("--samples"), CultureInfo.InvariantCulture));
        var cells = PolicyMeasurement.Run(
            [BenchNetwork.Mlp, BenchNetwork.Conv], data, ["idle", "busy"], [Arg("--threads")],
            int.Parse(Arg("--reps"), CultureInfo.InvariantCulture), BenchmarkOptions.Seed, $"spin {spin}");
        File.WriteAllText(Arg("--out"), JsonSerializer.Serialize(new Result(spin, policy, cells), Json));
        return 0;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
