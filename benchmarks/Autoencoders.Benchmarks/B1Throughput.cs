using System.Diagnostics;
using System.Globalization;
using Autoencoders.Native;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// B1: training and inference throughput of BENCH-MLP and BENCH-CONV through the library and through a
/// hand-written TorchSharp loop, interleaved in one process, with GFLOP/s against a measured SGEMM peak.
/// </summary>
internal static class B1Throughput
{
    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var settings = B1Settings.For(options);
        var machine = MachineInfo.Collect();
        var loadBefore = MachineInfo.LoadAverage();
        var started = DateTimeOffset.Now;
        var commit = RepositoryInfo.Commit(RepositoryInfo.FindRoot()); // the code as it was when the run started
        Console.WriteLine($"B1 {(settings.Quick ? "(quick) " : string.Empty)}N={settings.Samples} R={settings.Repetitions} threads={string.Join(" then ", settings.ThreadPasses)}; load average {loadBefore:F2}");
        if (loadBefore > MachineInfo.BusyLoad)
        {
            Console.WriteLine($"warning: the load average is {loadBefore:F2} > {MachineInfo.BusyLoad}; the machine is busy and the numbers will be noisy.");
        }

        var folder = BenchmarkData.ResolveFolder(options);
        using var data = BenchmarkData.LoadTraining(folder, settings.Samples);
        Console.WriteLine($"data: {data.Count} images from {folder}");

        var networks = new[] { BenchNetwork.Mlp, BenchNetwork.Conv };
        var measurements = new List<NetworkMeasurement>();
        var peaks = new Dictionary<int, (double Median, double[] Runs)>();
        var loads = new List<(string When, double Load)> { ("start", loadBefore) };
        foreach (var threads in settings.ThreadPasses)
        {
            var peak = SgemmPeak.Measure(threads, settings.SgemmRuns);
            peaks[threads] = peak;
            Console.WriteLine($"[{threads} thread(s)] SGEMM 2048² peak: {peak.Median:F1} GFLOP/s (runs {string.Join(", ", peak.Runs.Select(r => r.ToString("F1")))})");
            foreach (var network in networks)
            {
                var withInference = threads == settings.Threads;
                measurements.Add(Measure(network, data, threads, peak.Median, settings, withInference));
            }

            loads.Add(($"after the {threads}-thread pass", MachineInfo.LoadAverage()));
        }

        // Thread policy: the library's default against explicit thread counts, idle and with one busy
        // process per logical CPU, in this process (whose wait policy is the library's).
        var explicitCounts = PolicyMeasurement.ExplicitThreadCounts();
        Console.WriteLine($"thread policy: {ThreadPolicy.WaitPolicy}; physical cores {ThreadPolicy.PhysicalCores}; explicit counts {string.Join(", ", explicitCounts)}");
        using var policyData = data.Take(Math.Min(settings.PolicySamples, data.Count));
        var policy = PolicyMeasurement.Run(
            networks, policyData, ["idle", "busy"], [PolicyCell.Default, .. explicitCounts.Select(t => t.ToString(CultureInfo.InvariantCulture))],
            settings.PolicyRepetitions, settings.Seed, "policy");
        loads.Add(("after the thread-policy matrix", MachineInfo.LoadAverage()));

        // The spin-count sweep, one process per value, at the largest explicit count.
        var sweep = WaitPolicySweep.Run(settings.SweepSpinCounts, folder, Math.Min(settings.SweepSamples, data.Count), settings.PolicyRepetitions, explicitCounts[^1]);
        loads.Add(("after the wait-policy sweep", MachineInfo.LoadAverage()));

        var finished = DateTimeOffset.Now;
        return B1Report.Create(settings, machine, commit, folder, data.Count, measurements, peaks, loads, started, finished,
            new ThreadPolicyResults(ThreadPolicy.WaitPolicy, ThreadPolicy.PhysicalCores, policyData.Count, explicitCounts, policy, sweep));
    }

    private static NetworkMeasurement Measure(
        BenchNetwork network, InMemoryDataset data, int threads, double peak, B1Settings settings, bool withInference)
    {
        Console.WriteLine($"[{threads} thread(s)] {network.Name}");
        using var library = network.BuildLibrary?.Invoke(settings.Seed);
        if (library is null)
        {
            Console.WriteLine($"  library: skipped: {network.LibraryMissingReason}");
        }

        torch.random.manual_seed(settings.Seed);
        using var handwritten = network.BuildHandwritten();
        using var handData = data.Features.view([data.Count, .. network.HandwrittenSampleShape]);
        var handParameters = handwritten.parameters().Sum(p => p.numel());
        var libraryParameters = library?.parameters().Sum(p => p.numel());
        double? difference = library is null ? null : CopyWeightsAndCompare(library, handwritten, data, handData);
        if (difference is { } d)
        {
            Console.WriteLine($"  same network: {libraryParameters} = {handParameters} parameters; max |output difference| with the library's weights copied = {d:g3}");
        }

        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = 1,
            BatchSize = settings.BatchSize,
            LearningRate = settings.LearningRate,
            Optimizer = OptimizerKind.Adam,
            Shuffle = true,
            Threads = threads,
            Seed = settings.Seed,
        });
        var fusedTrainer = new Trainer(trainer.Options with { FusedOptimizer = true });
        using var generator = new torch.Generator(unchecked((ulong)settings.Seed));
        var previousThreads = get_num_threads();
        set_num_threads(threads);
        try
        {
            var libraryTraining = new List<double>();
            var libraryReported = new List<double>();
            var fusedTraining = new List<double>();
            var handTraining = new List<double>();
            double? libraryLoss = null;
            double handLoss = double.NaN;

            void TrainLibrary(bool timed) => TrainWith(trainer, timed, libraryTraining, "library     ", history =>
            {
                libraryReported.Add(history.Epochs[0].SamplesPerSecond);
                libraryLoss = history.Epochs[0].TrainLoss;
            });

            void TrainLibraryFused(bool timed) => TrainWith(fusedTrainer, timed, fusedTraining, "lib. fused  ", _ => { });

            void TrainWith(Trainer withOptions, bool timed, List<double> rates, string label, Action<TrainingHistory> record)
            {
                Settle();
                var watch = Stopwatch.StartNew();
                var history = withOptions.Fit(library!, data);
                watch.Stop();
                if (timed)
                {
                    rates.Add(data.Count / watch.Elapsed.TotalSeconds);
                    record(history);
                    Console.WriteLine($"  train {label}{rates[^1],9:F0} samples/s  (loss {history.Epochs[0].TrainLoss:F2})");
                }
            }

            void TrainHandwritten(bool timed)
            {
                Settle();
                var (seconds, loss) = HandwrittenLoop.TrainEpoch(handwritten, handData, settings.BatchSize, settings.LearningRate, generator);
                if (timed)
                {
                    handTraining.Add(data.Count / seconds);
                    handLoss = loss;
                    Console.WriteLine($"  train hand-written {handTraining[^1],9:F0} samples/s  (loss {loss:F2})");
                }
            }

            Interleave(settings.Repetitions, library is null ? [TrainHandwritten] : [TrainLibrary, TrainHandwritten, TrainLibraryFused]);
            var training = new SideBySide(libraryTraining, handTraining);
            var fused = new SideBySide(fusedTraining, handTraining);

            SideBySide? inference = null;
            if (withInference)
            {
                var libraryInference = new List<double>();
                var handInference = new List<double>();

                void InferLibrary(bool timed)
                {
                    Settle();
                    var watch = Stopwatch.StartNew();
                    var output = library!.Reconstruct(data);
                    watch.Stop();
                    GC.KeepAlive(output);
                    if (timed)
                    {
                        libraryInference.Add(data.Count / watch.Elapsed.TotalSeconds);
                        Console.WriteLine($"  infer library      {libraryInference[^1],9:F0} samples/s");
                    }
                }

                void InferHandwritten(bool timed)
                {
                    Settle();
                    var watch = Stopwatch.StartNew();
                    var output = HandwrittenLoop.Reconstruct(handwritten, handData, B1Settings.InferenceBatchSize);
                    watch.Stop();
                    GC.KeepAlive(output);
                    if (timed)
                    {
                        handInference.Add(data.Count / watch.Elapsed.TotalSeconds);
                        Console.WriteLine($"  infer hand-written {handInference[^1],9:F0} samples/s");
                    }
                }

                Interleave(settings.Repetitions, library is null ? [InferHandwritten] : [InferLibrary, InferHandwritten]);
                inference = new SideBySide(libraryInference, handInference);
            }

            var measurement = new NetworkMeasurement(
                network, threads, peak, training, libraryReported, inference,
                libraryParameters, handParameters, difference, libraryLoss, handLoss)
            {
                FusedTraining = library is null ? null : fused,
            };
            Console.WriteLine($"  => training: {Summary(training)}; fused optimiser: {Summary(fused)}" + (inference is null ? string.Empty : $"; inference: {Summary(inference)}"));
            return measurement;
        }
        finally
        {
            set_num_threads(previousThreads);
        }
    }

    private static string Summary(SideBySide side) => side.LibraryMedian is { } library
        ? $"library {library:F0}, hand-written {side.HandwrittenMedian:F0} samples/s, ratio {side.Ratio:F3}"
        : $"hand-written {side.HandwrittenMedian:F0} samples/s (library not measured)";

    /// <summary>
    /// One untimed warm-up run of each side, then <paramref name="repetitions"/> timed rounds. The order
    /// rotates from round to round, so that no side always runs right after another.
    /// </summary>
    private static void Interleave(int repetitions, Action<bool>[] sides)
    {
        foreach (var side in sides)
        {
            side(false);
        }

        for (var round = 0; round < repetitions; round++)
        {
            for (var i = 0; i < sides.Length; i++)
            {
                sides[(round + i) % sides.Length](true);
            }
        }
    }

    /// <summary>Collects garbage outside the timed region so that neither side pays for the other's.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>
    /// Copies the library model's parameters, in order, into the hand-written net and returns the largest
    /// absolute difference of their reconstructions of the first 2048 samples: 0 proves both compute the
    /// same function (and both then start training from the same weights).
    /// </summary>
    private static double CopyWeightsAndCompare(Autoencoder library, Sequential handwritten, InMemoryDataset data, Tensor handData)
    {
        var source = library.parameters().ToArray();
        var target = handwritten.parameters().ToArray();
        if (source.Length != target.Length || source.Zip(target).Any(p => !p.First.shape.SequenceEqual(p.Second.shape)))
        {
            throw new InvalidOperationException(
                "The hand-written network's parameters do not match the library model's in number, order or shape: " +
                $"library [{string.Join("; ", source.Select(p => string.Join("×", p.shape)))}], " +
                $"hand-written [{string.Join("; ", target.Select(p => string.Join("×", p.shape)))}].");
        }

        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var (from, to) in source.Zip(target))
            {
                to.copy_(from);
            }
        }

        var count = Math.Min(2 * B1Settings.InferenceBatchSize, data.Count); // more than one batch
        using var subset = data.Take(count);
        var libraryOutput = library.Reconstruct(subset);
        var handOutput = HandwrittenLoop.Reconstruct(handwritten, handData.narrow(0, 0, count), B1Settings.InferenceBatchSize);
        var flat = new float[libraryOutput.Length];
        Buffer.BlockCopy(libraryOutput, 0, flat, 0, flat.Length * sizeof(float));
        return flat.Zip(handOutput).Max(p => Math.Abs((double)p.First - p.Second));
    }
}
