using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using Xunit.Abstractions;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// A process SIGKILLed while it saves a model, or while it trains with checkpoints, leaves the target
/// file either absent (before the first save), the old complete file or the new one, never a broken
/// one; a killed training run resumed in a fresh process ends bit-identical to an uninterrupted run.
/// </summary>
public sealed class KillDuringSaveTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Kill trials per test in CI; multiplied by <see cref="FuzzSettings.Scale"/>.</summary>
    public const int WriteTrials = 30;

    public const int SaveTrials = 6;

    public const int TrainingTrials = 3;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>
    /// "write-loop" kills a process in <c>AtomicFile.Write</c> with model bytes (no libtorch: fast, so many
    /// trials); "save-loop" kills one in <c>Autoencoder.Save</c> itself.
    /// </summary>
    [Theory]
    [InlineData("write-loop", WriteTrials)]
    [InlineData("save-loop", SaveTrials)]
    public void A_model_file_killed_mid_save_is_always_the_old_or_the_new_complete_file(string mode, int ciTrials)
    {
        var first = folder.File("a.aemodel");
        var second = folder.File("b.aemodel");
        using (var a = AutoencoderSpec.Dense(64, 8, [256]).Build(seed: 1))
        using (var b = AutoencoderSpec.Dense(64, 8, [256]).Build(seed: 2))
        {
            a.Save(first);
            b.Save(second);
        }

        byte[][] complete = [File.ReadAllBytes(first), File.ReadAllBytes(second)];
        var random = new Random(7);
        var trials = ciTrials * FuzzSettings.Scale;
        var strays = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var work = Directory.CreateDirectory(folder.File($"trial{trial}")).FullName;
            var target = Path.Combine(work, "model.aemodel");
            using (var child = new ChildProcess(mode, first, second, target))
            {
                child.WaitForLine(l => l == "ready", Patience).Should().BeTrue($"the child should start saving: {string.Join('\n', child.Errors)}");
                Thread.Sleep(random.Next(0, 100));
                child.Kill();
            }

            var bytes = File.ReadAllBytes(target);
            complete.Any(c => c.AsSpan().SequenceEqual(bytes)).Should().BeTrue($"trial {trial}: the file must be one of the two complete saves");
            using (Autoencoder.Load(target))
            {
            }

            // Only the target carries the model's name; a temporary file cut short by the kill is hidden,
            // named .tmp, and is either refused by the loader or a complete save.
            foreach (var stray in Directory.GetFiles(work).Where(f => f != target))
            {
                strays++;
                Path.GetFileName(stray).Should().StartWith(".model.aemodel.").And.EndWith(".tmp");
                var strayBytes = File.ReadAllBytes(stray);
                if (!complete.Any(c => c.AsSpan().SequenceEqual(strayBytes)))
                {
                    ((Action)(() => Autoencoder.Load(stray))).Should().Throw<ModelFileException>();
                }
            }
        }

        output.WriteLine($"{mode}: {trials} kills during saves: the target was always a complete file; {strays} temporary files were left behind.");
    }

    [Fact]
    public void Training_killed_at_random_times_and_resumed_in_a_fresh_process_ends_bit_identical()
    {
        byte[] expected;
        using (var data = InMemoryDataset.FromArray(FaultChild.Data()))
        using (var model = FaultChild.Spec.Build(seed: 1))
        {
            new Trainer(FaultChild.Options(folder.File("reference.ckpt"))).Fit(model, data);
            model.Save(folder.File("reference.aemodel"));
            expected = File.ReadAllBytes(folder.File("reference.aemodel"));
        }

        var random = new Random(11);
        var trials = TrainingTrials * FuzzSettings.Scale;
        var killedAt = new List<int>();
        for (var trial = 0; trial < trials; trial++)
        {
            var checkpoint = folder.File($"run{trial}.ckpt");
            var result = folder.File($"run{trial}.aemodel");
            var epoch = random.Next(1, 38);
            using (var child = new ChildProcess("train", checkpoint, result))
            {
                child.WaitForLine(l => l == $"epoch {epoch}", Patience).Should().BeTrue($"the child should train: {string.Join('\n', child.Errors)}");
                Thread.Sleep(random.Next(0, 20));
                child.Kill();
            }

            killedAt.Add(epoch);
            if (File.Exists(checkpoint))
            {
                using (Autoencoder.Load(checkpoint))
                {
                    // A checkpoint is a model file; after a kill it must still be a complete one.
                }
            }

            using (var resumed = new ChildProcess("train", checkpoint, result))
            {
                resumed.WaitForExit(Patience).Should().BeTrue($"the resumed run should finish: {string.Join('\n', resumed.Errors)}");
            }

            File.ReadAllBytes(result).Should().Equal(expected, $"trial {trial}, killed after epoch {epoch}: the resumed run must end with the same weights");
        }

        output.WriteLine($"{trials} training runs killed (after epochs {string.Join(", ", killedAt)} plus 0-20 ms) and resumed: all bit-identical.");
    }
}
