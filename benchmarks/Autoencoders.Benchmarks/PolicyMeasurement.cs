using System.Diagnostics;
using Autoencoders.Native;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Benchmarks;

/// <summary>
/// Measures the library (training through <see cref="Trainer.Fit"/> for one epoch, inference through
/// <c>Reconstruct</c>) at several thread settings, idle and with one busy process per logical CPU. The
/// settings alternate within each round (the order rotates from round to round and reverses in every
/// other cycle), so that drifts in load or clock hit every setting alike and no setting always follows the
/// same one. With busy processes, each timed run starts after a pause: the scheduler repays the busy
/// processes the CPU time that a run with more threads than its share took from them by favouring them
/// over whatever runs next. Before the pause and the reversal, the default always ran right after the
/// two-thread run and came out at 0.90–0.93 of one thread, though it ran on one thread itself.
/// </summary>
internal static class PolicyMeasurement
{
    /// <summary>The pause before each timed run on the busy machine (see the summary).</summary>
    private static readonly TimeSpan BusyPause = TimeSpan.FromSeconds(1);

    /// <summary>The explicit thread counts compared with the default: 1, the powers of two below, and the physical and logical core counts.</summary>
    public static int[] ExplicitThreadCounts()
    {
        var counts = new SortedSet<int> { 1, Math.Max(2, ThreadPolicy.PhysicalCores), Environment.ProcessorCount };
        for (var t = 2; t < ThreadPolicy.PhysicalCores; t *= 2)
        {
            counts.Add(t);
        }

        return [.. counts];
    }

    /// <summary>Every cell for <paramref name="networks"/> under each of <paramref name="loads"/> at each of <paramref name="settings"/>.</summary>
    public static List<PolicyCell> Run(
        IReadOnlyList<BenchNetwork> networks, InMemoryDataset data, IReadOnlyList<string> loads, IReadOnlyList<string> settings, int repetitions, long seed, string label)
    {
        var cells = new List<PolicyCell>();
        foreach (var load in loads)
        {
            using var busy = load == "busy" ? BusyProcesses.Start() : null;
            Console.WriteLine($"[{label}] load: {load}{(busy is null ? string.Empty : $" ({BusyProcesses.Count} busy processes)")}; load average {MachineInfo.LoadAverage():F2}");
            foreach (var network in networks)
            {
                using var model = network.BuildLibrary!(seed);
                cells.AddRange(Measure(network, model, data, load, settings, repetitions, seed, label));
            }
        }

        return cells;
    }

    private static IEnumerable<PolicyCell> Measure(
        BenchNetwork network, Autoencoder model, InMemoryDataset data, string load, IReadOnlyList<string> settings, int repetitions, long seed, string label)
    {
        var training = settings.ToDictionary(s => s, _ => new List<double>());
        var threadsUsed = new List<int>();
        var inference = settings.ToDictionary(s => s, _ => new List<double>());
        Train(model, data, PolicyCell.Default, seed, load); // warm-up
        Infer(model, data, PolicyCell.Default, load);
        for (var round = 0; round < repetitions; round++)
        {
            foreach (var setting in Rotate(settings, round))
            {
                var (rate, threads) = Train(model, data, setting, seed, load);
                training[setting].Add(rate);
                if (setting == PolicyCell.Default)
                {
                    threadsUsed.Add(threads);
                }
            }

            foreach (var setting in Rotate(settings, round))
            {
                inference[setting].Add(Infer(model, data, setting, load));
            }
        }

        foreach (var setting in settings)
        {
            Console.WriteLine($"[{label}] {load,-4} {network.Name,-10} {setting,-7}: training {Stats.Median([.. training[setting]]),8:F0} samples/s" +
                $"{(setting == PolicyCell.Default ? $" (threads used {string.Join(",", threadsUsed)})" : string.Empty)}, inference {Stats.Median([.. inference[setting]]),8:F0} samples/s");
            yield return new PolicyCell(network.Name, "training", load, setting, training[setting], setting == PolicyCell.Default ? threadsUsed : []);
            yield return new PolicyCell(network.Name, "inference", load, setting, inference[setting], []);
        }
    }

    private static (double Rate, int Threads) Train(Autoencoder model, InMemoryDataset data, string setting, long seed, string load)
    {
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = 1,
            BatchSize = 128,
            LearningRate = 1e-3,
            Threads = setting == PolicyCell.Default ? null : int.Parse(setting, System.Globalization.CultureInfo.InvariantCulture),
            Seed = seed,
        });
        Settle(load);
        var watch = Stopwatch.StartNew();
        var history = trainer.Fit(model, data);
        return (data.Count / watch.Elapsed.TotalSeconds, history.Threads);
    }

    private static double Infer(Autoencoder model, InMemoryDataset data, string setting, string load)
    {
        ThreadPolicy.Threads = setting == PolicyCell.Default ? null : int.Parse(setting, System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Settle(load);
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(model.Reconstruct(data));
            return data.Count / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            ThreadPolicy.Threads = null;
        }
    }

    /// <summary>
    /// The settings' order in round <paramref name="round"/>: rotated by one each round, and reversed in every
    /// other cycle of rotations, so that a setting does not always run right after the same other one.
    /// </summary>
    private static IEnumerable<string> Rotate(IReadOnlyList<string> settings, int round)
    {
        var rotated = settings.Skip(round % settings.Count).Concat(settings.Take(round % settings.Count));
        return round / settings.Count % 2 == 1 ? rotated.Reverse() : rotated;
    }

    private static void Settle(string load)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (load == "busy")
        {
            Thread.Sleep(BusyPause);
        }
    }
}
