using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using Autoencoders.Tests.Reliability;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Native;

/// <summary>
/// The thread policy: libgomp's spin is bounded before libtorch loads (unless the user chose a wait
/// policy), a run on a machine whose cores are all busy uses one thread while inference keeps one worker
/// per core, and inference gives the same
/// bits on any number of threads, from memory or from a stream. Not run in parallel with other tests: it
/// sets the process-wide <see cref="ThreadPolicy.Threads"/> and measures the machine's load.
/// </summary>
[Collection(nameof(ThreadPolicyTests))]
[CollectionDefinition(nameof(ThreadPolicyTests), DisableParallelization = true)]
public sealed class ThreadPolicyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_library_bounds_libgomps_spin_before_libtorch_reads_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var (state, settings) = RunWaitPolicyChild(new Dictionary<string, string?> { ["OMP_WAIT_POLICY"] = null, ["GOMP_SPINCOUNT"] = null });

        state.Should().Be($"GOMP_SPINCOUNT={OpenMpWaitPolicy.SpinCount} (set by the library)");
        settings.Should().Contain($"GOMP_SPINCOUNT = '{OpenMpWaitPolicy.SpinCount}'");
    }

    [Fact]
    public void A_wait_policy_the_user_set_is_left_alone()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var (state, settings) = RunWaitPolicyChild(new Dictionary<string, string?> { ["OMP_WAIT_POLICY"] = null, ["GOMP_SPINCOUNT"] = "4321" });

        state.Should().Be("GOMP_SPINCOUNT=4321 (set by the user)");
        settings.Should().Contain("GOMP_SPINCOUNT = '4321'");
    }

    [Fact]
    public void With_every_core_busy_a_run_uses_one_thread()
    {
        var busy = new List<ChildProcess>();
        try
        {
            for (var i = 0; i < CpuTopology.OnlineCpus; i++)
            {
                var child = new ChildProcess("spin");
                busy.Add(child);
                child.WaitForLine(line => line == "spinning", Patience).Should().BeTrue("the competing process starts");
            }

            using var data = InMemoryDataset.FromArray(Synthetic.LowRank(64, 8, 2, seed: 1));
            using var model = AutoencoderSpec.Dense(8, 2, [4]).Build(seed: 1);
            var history = new Trainer(new TrainerOptions { Epochs = 1 }).Fit(model, data);

            history.Threads.Should().Be(1);

            // Inference workers never wait for each other, so the load does not reduce them.
            using var call = IntraOpThreads.Use(null);
            call.Threads.Should().Be(1);
            call.Workers.Should().Be(IntraOpThreads.Maximum);
        }
        finally
        {
            foreach (var child in busy)
            {
                child.Dispose();
            }
        }
    }

    [Fact]
    public void A_thread_count_that_was_given_is_also_the_number_of_inference_workers()
    {
        using (var requested = IntraOpThreads.Use(3))
        {
            requested.Workers.Should().Be(3);
            using var inner = IntraOpThreads.Use(null);
            inner.Workers.Should().Be(3, "inference inside a run (a callback's) keeps the run's count");
        }

        try
        {
            ThreadPolicy.Threads = 5;
            using var fixedCount = IntraOpThreads.Use(null);
            fixedCount.Threads.Should().Be(5);
            fixedCount.Workers.Should().Be(5);
        }
        finally
        {
            ThreadPolicy.Threads = null;
        }
    }

    [Fact]
    public void A_stream_that_fails_while_several_workers_read_it_raises_its_error()
    {
        static IEnumerable<float[]> BrokenAt(int row)
        {
            for (var i = 0; i < 2 * row; i++)
            {
                if (i == row)
                {
                    throw new InvalidDataException($"row {row} is broken");
                }

                yield return new float[8];
            }
        }

        using var model = AutoencoderSpec.Dense(8, 2, [4]).Build(seed: 1);
        try
        {
            ThreadPolicy.Threads = 3;
            using var stream = DataSource.FromEnumerable(BrokenAt(5000), [8]);

            var reconstruct = () => model.Reconstruct(stream);

            reconstruct.Should().Throw<Exception>().Where(e => e.ToString().Contains("row 5000 is broken"));
        }
        finally
        {
            ThreadPolicy.Threads = null;
        }
    }

    [Theory]
    [InlineData("vanilla", 3000)]
    [InlineData("convolutional-sparse-batchnorm", 700)]
    public void Inference_gives_the_same_bits_on_any_number_of_threads(string variant, int rows)
    {
        var spec = Variants.VariantCatalog.Specs[variant];
        using var model = spec.Build(seed: 2);
        var array = Variants.VariantCatalog.UnitIntervalData(rows, seed: 4);
        long[] shape = [.. spec.InputShape.Select(d => (long)d)];
        using var data = InMemoryDataset.FromArray(array, shape);
        var results = new List<(float[,] Codes, float[,] Reconstructions, double Error, float[,] Streamed, double StreamedError)>();
        try
        {
            foreach (var threads in new[] { 1, 2, 3 })
            {
                ThreadPolicy.Threads = threads;

                // A stream of unknown length: its batches are read one at a time and gathered in order.
                using var stream = DataSource.FromEnumerable(Rows(array), shape);
                using var errorStream = DataSource.FromEnumerable(Rows(array), shape);
                results.Add((model.Encode(data), model.Reconstruct(data), model.MeanSquaredError(data), model.Reconstruct(stream), model.MeanSquaredError(errorStream)));
            }
        }
        finally
        {
            ThreadPolicy.Threads = null;
        }

        foreach (var (codes, reconstructions, error, streamed, streamedError) in results)
        {
            codes.Should().BeEquivalentTo(results[0].Codes, o => o.WithStrictOrdering());
            reconstructions.Should().BeEquivalentTo(results[0].Reconstructions, o => o.WithStrictOrdering());
            error.Should().Be(results[0].Error);
            streamed.Should().BeEquivalentTo(results[0].Reconstructions, o => o.WithStrictOrdering());
            streamedError.Should().Be(results[0].Error);
        }
    }

    private static IEnumerable<float[]> Rows(float[,] array)
    {
        for (var i = 0; i < array.GetLength(0); i++)
        {
            yield return Enumerable.Range(0, array.GetLength(1)).Select(j => array[i, j]).ToArray();
        }
    }

    [Fact]
    public void Cpu_lists_parse_as_the_kernel_writes_them()
    {
        CpuTopology.ParseList("0-3,8,10-11\n").Should().Equal(0, 1, 2, 3, 8, 10, 11);
        CpuTopology.ParseList("5").Should().Equal(5);
        ThreadPolicy.PhysicalCores.Should().BeInRange(1, Environment.ProcessorCount);
    }

    private static (string State, string Settings) RunWaitPolicyChild(Dictionary<string, string?> environment)
    {
        environment["OMP_DISPLAY_ENV"] = "VERBOSE";
        string? state = null;
        using var child = new ChildProcess(environment, "wait-policy");
        child.WaitForLine(line => (state ??= line) is not null && line == "loaded", Patience).Should().BeTrue("the child loads libtorch");
        child.WaitForExit(Patience).Should().BeTrue();
        return (state!, string.Join(Environment.NewLine, child.Errors));
    }
}
