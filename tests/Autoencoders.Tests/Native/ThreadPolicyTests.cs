using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using Autoencoders.Tests.Reliability;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Native;

/// <summary>
/// The thread policy: libgomp's spin is bounded before libtorch loads (unless the user chose a wait
/// policy), and a run on a machine whose cores are all busy uses one thread.
/// </summary>
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
