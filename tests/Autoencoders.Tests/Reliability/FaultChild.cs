using Autoencoders.Native;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// The entry point of this test assembly, run as <c>dotnet exec Autoencoders.Tests.dll &lt;mode&gt; ...</c>
/// by the fault-injection tests, which SIGKILL it mid-work. With no arguments it does nothing (the test
/// runner never calls it). Reusing the test assembly costs no extra project and no extra copy of the
/// native libraries.
/// </summary>
internal static class FaultChild
{
    /// <summary>The run that <see cref="Train"/> performs and the parent reproduces.</summary>
    public static AutoencoderSpec Spec { get; } = AutoencoderSpec.Dense(16, 3, [12]);

    public static TrainerOptions Options(string checkpoint) =>
        new() { Epochs = 40, BatchSize = 32, LearningRate = 3e-3, ValidationFraction = 0.2, Patience = 100, Seed = 4, Threads = 1, CheckpointPath = checkpoint };

    public static float[,] Data() => Synthetic.LowRank(160, 16, 3, seed: 1);

    /// <summary>Set by <see cref="ChildProcess"/>: standard input is a pipe from the parent, open while the parent lives.</summary>
    public const string ParentPipeVariable = "AUTOENCODERS_TEST_PARENT_PIPE";

    /// <summary>Runs a mode: "save-loop a b target", "write-loop a b target", "train checkpoint out", "wait-policy" or "spin".</summary>
    public static int Main(string[] args)
    {
        ExitWithParent();
        switch (args.FirstOrDefault())
        {
            case "save-loop":
                SaveLoop(args[1], args[2], args[3]);
                return 0;
            case "write-loop":
                WriteLoop(args[1], args[2], args[3]);
                return 0;
            case "train":
                Train(args[1], args[2]);
                return 0;
            case "wait-policy":
                WaitPolicy();
                return 0;
            case "spin":
                Spin();
                return 0;
            default:
                return 0;
        }
    }

    /// <summary>
    /// Ends this process when the parent's end of standard input closes, i.e. when the test host ends, even
    /// by SIGKILL: the loops below never end by themselves.
    /// </summary>
    private static void ExitWithParent()
    {
        if (Environment.GetEnvironmentVariable(ParentPipeVariable) != "1")
        {
            return;
        }

        new Thread(() =>
        {
            Console.In.ReadToEnd();
            Environment.Exit(3);
        })
        { IsBackground = true, Name = "parent watchdog" }.Start();
    }

    /// <summary>Saves two models alternately over one file until killed.</summary>
    private static void SaveLoop(string first, string second, string target)
    {
        using var a = Autoencoder.Load(first);
        using var b = Autoencoder.Load(second);
        for (var i = 0; ; i++)
        {
            (i % 2 == 0 ? a : b).Save(target);
            if (i == 0)
            {
                Console.Out.WriteLine("ready");
                Console.Out.Flush();
            }
        }
    }

    /// <summary>
    /// Writes two model files' bytes alternately over one file through <see cref="AtomicFile"/>, the
    /// path every save and checkpoint takes, without loading libtorch (so a trial starts in a fraction
    /// of the time).
    /// </summary>
    private static void WriteLoop(string first, string second, string target)
    {
        byte[][] files = [File.ReadAllBytes(first), File.ReadAllBytes(second)];
        for (var i = 0; ; i++)
        {
            AtomicFile.Write(target, stream => stream.Write(files[i % 2]));
            if (i == 0)
            {
                Console.Out.WriteLine("ready");
                Console.Out.Flush();
            }
        }
    }

    /// <summary>Trains with a checkpoint every epoch (resuming if one exists), then saves the model.</summary>
    private static void Train(string checkpoint, string output)
    {
        using var data = InMemoryDataset.FromArray(Data());
        using var model = Spec.Build(seed: 1);
        var progress = new SynchronousProgress<EpochReport>(r =>
        {
            Console.Out.WriteLine($"epoch {r.Epoch}");
            Console.Out.Flush();
        });
        new Trainer(Options(checkpoint)).Fit(model, data, progress: progress);
        model.Save(output);
        Console.Out.WriteLine("done");
        Console.Out.Flush();
    }

    /// <summary>Prints the library's OpenMP wait policy, then loads libtorch (which prints its settings when OMP_DISPLAY_ENV is set).</summary>
    private static void WaitPolicy()
    {
        Console.Out.WriteLine(ThreadPolicy.WaitPolicy);
        using var data = InMemoryDataset.FromArray(new float[2, 2]);
        Console.Out.WriteLine("loaded");
        Console.Out.Flush();
    }

    /// <summary>Keeps one core busy until killed: a competing process for the thread-policy tests.</summary>
    private static void Spin()
    {
        Console.Out.WriteLine("spinning");
        Console.Out.Flush();
        var x = 1UL;
        while (x != 0)
        {
            x = (x * 6364136223846793005UL) + 1442695040888963407UL;
        }
    }
}
