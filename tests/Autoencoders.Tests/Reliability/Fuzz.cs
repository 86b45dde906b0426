using System.Diagnostics;
using CsCheck;
using Xunit.Abstractions;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// Runs a reader over many generated inputs, deterministically: case <c>i</c> is generated from its own
/// CsCheck <see cref="PCG"/> seeded from <see cref="FuzzSettings.Seed"/> and <c>i</c>, so a failure names
/// the one case to replay. Every case runs on one dedicated thread under an overall deadline (two minutes
/// per unit of <see cref="FuzzSettings.Scale"/>: a hang fails the test instead of stalling it) and its
/// managed allocation is measured on that thread.
/// </summary>
internal static class Fuzz
{
    /// <summary>What happened to one case: the exception type that came out (null for success).</summary>
    public sealed record Outcome(string Kind);

    /// <summary>
    /// Generates <paramref name="cases"/> inputs from <paramref name="generator"/> and runs
    /// <paramref name="check"/> on each; <paramref name="check"/> throws to fail. Returns the outcome counts.
    /// </summary>
    public static Dictionary<string, int> Run<T>(
        string name,
        Gen<T> generator,
        int cases,
        Func<T, string> check,
        ITestOutputHelper? output,
        TimeSpan? deadline = null)
    {
        var counts = new Dictionary<string, int>();
        var watch = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        Exception? failure = null;
        var limit = deadline ?? TimeSpan.FromSeconds(120 * FuzzSettings.Scale);
        var thread = new Thread(() =>
        {
            for (var i = 0; i < cases; i++)
            {
                var pcg = new PCG(7, unchecked((FuzzSettings.Seed * 1_000_003UL) + (ulong)i));
                var input = generator.Generate(pcg, null!, out _);
                var caseWatch = Stopwatch.StartNew();
                try
                {
                    var kind = check(input);
                    counts[kind] = counts.GetValueOrDefault(kind) + 1;
                }
                catch (Exception e)
                {
                    failure = new InvalidOperationException(
                        $"{name}: case {i} (seed {FuzzSettings.Seed}) failed: {e.GetType().Name}: {e.Message}\ninput: {Describe(input)}", e);
                    return;
                }

                if (caseWatch.Elapsed > slowest)
                {
                    slowest = caseWatch.Elapsed;
                }
            }
        }, maxStackSize: 16 << 20) { IsBackground = true, Name = "fuzz " + name };
        thread.Start();
        if (!thread.Join(limit))
        {
            throw new TimeoutException($"{name}: the readers did not finish {cases} cases within {limit.TotalSeconds} s: a case hangs.");
        }

        if (failure is not null)
        {
            throw failure;
        }

        output?.WriteLine(
            $"{name}: {cases} cases in {watch.Elapsed.TotalSeconds:F1} s (slowest {slowest.TotalMilliseconds:F0} ms); outcomes: " +
            string.Join(", ", counts.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        return counts;
    }

    /// <summary>
    /// Runs <paramref name="read"/> and classifies what came out: "ok", or the name of an allowed
    /// exception type. Any other exception propagates (and fails the case); so does an allocation above
    /// <paramref name="allocationLimit"/> bytes.
    /// </summary>
    public static string Classify(Action read, long allocationLimit, params Type[] allowed)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        string kind;
        try
        {
            read();
            kind = "ok";
        }
        catch (Exception e) when (allowed.Any(t => t.IsInstanceOfType(e)))
        {
            kind = e.GetType().Name;
            if (string.IsNullOrWhiteSpace(e.Message))
            {
                throw new InvalidOperationException("A reader threw an exception without a message.", e);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > allocationLimit)
        {
            throw new InvalidOperationException($"The read allocated {allocated} bytes; the bound for this input is {allocationLimit}.");
        }

        return kind;
    }

    private static string Describe<T>(T input) => input switch
    {
        byte[] bytes => $"{bytes.Length} bytes: {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 96)))}…",
        _ => input?.ToString() ?? "null",
    };
}
