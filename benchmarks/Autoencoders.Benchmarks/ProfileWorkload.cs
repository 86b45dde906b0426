using System.Diagnostics;
using System.Globalization;
using Autoencoders.Native;
using Autoencoders.Training;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>
/// One B1 workload run in a loop for a fixed time, in its own process, so that a sampling profiler can
/// attach to it alone (<see cref="B1Profile"/>): the hidden command <c>profile-workload &lt;network&gt; &lt;phase&gt; &lt;side&gt;
/// &lt;threads|default&gt; &lt;seconds&gt; &lt;data folder&gt;</c>. It prints "ready" once warmed up, then
/// "done &lt;samples/s&gt;" when the time is up.
/// </summary>
internal static class ProfileWorkload
{
    public const string Command = "profile-workload";

    /// <summary>The samples of one pass (an epoch of training or one reconstruction), as in B1.</summary>
    private const int Samples = 10_000;

    public static int Run(string[] args)
    {
        if (args.Length != 7)
        {
            Console.Error.WriteLine($"usage: {Command} <mlp|conv> <training|inference> <library|fused|handwritten> <threads|default> <seconds> <data folder>");
            return 2;
        }

        var network = args[1] == "mlp" ? BenchNetwork.Mlp : BenchNetwork.Conv;
        var (phase, side) = (args[2], args[3]);
        int? threads = args[4] == "default" ? null : int.Parse(args[4], CultureInfo.InvariantCulture);
        var seconds = double.Parse(args[5], CultureInfo.InvariantCulture);
        using var data = BenchmarkData.LoadTraining(args[6], Samples);
        var pass = Pass(network, phase, side, threads, data);
        pass();
        pass();
        Console.WriteLine("ready");
        Console.Out.Flush();
        var watch = Stopwatch.StartNew();
        var passes = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            pass();
            passes++;
        }


        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {passes * (double)data.Count / watch.Elapsed.TotalSeconds:F0}"));
        return 0;
    }

    private static Action Pass(BenchNetwork network, string phase, string side, int? threads, Data.InMemoryDataset data)
    {
        const long seed = BenchmarkOptions.Seed;
        if (side == "handwritten")
        {
            set_num_threads(threads ?? ThreadPolicy.PhysicalCores);
            random.manual_seed(seed);
            var net = network.BuildHandwritten();
            var handData = data.Features.view([data.Count, .. network.HandwrittenSampleShape]);
            var generator = new Generator(unchecked((ulong)seed));
            return phase == "training"
                ? () => HandwrittenLoop.TrainEpoch(net, handData, 128, 1e-3, generator)
                : () => HandwrittenLoop.Reconstruct(net, handData, B1Settings.InferenceBatchSize);
        }

        var model = network.BuildLibrary!(seed);
        if (phase == "training")
        {
            var trainer = new Trainer(new TrainerOptions
            {
                Epochs = 1,
                BatchSize = 128,
                LearningRate = 1e-3,
                Threads = threads,
                Seed = seed,
                FusedOptimizer = side == "fused",
            });
            return () => trainer.Fit(model, data);
        }

        ThreadPolicy.Threads = threads;
        return () => GC.KeepAlive(model.Reconstruct(data));
    }
}
