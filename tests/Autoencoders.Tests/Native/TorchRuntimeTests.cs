using Autoencoders.Native;
using Autoencoders.NativeFix;
using TorchSharp;

namespace Autoencoders.Tests.Native;

public sealed class TorchRuntimeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ae-runtime-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [LinuxFact]
    public void TheBuildTargetPatchedThisTestRunsOwnCopy()
    {
        // Directory.Build.props builds tests for linux-x64 (flat natives); accept the portable layout too.
        var flat = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        var portable = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var copy = File.Exists(flat) ? flat : portable;
        File.Exists(copy).Should().BeTrue();

        var status = ElfVersionNeedPatcher.Analyze(File.ReadAllBytes(copy)).Status;

        if (MachineLibStdCxx.Defines(ElfVersionNeedPatcher.DefaultVersionName, out _) == true)
        {
            status.Should().BeOneOf(PatchStatus.Patchable, PatchStatus.AlreadyPatched); // auto mode leaves it alone
        }
        else
        {
            status.Should().Be(PatchStatus.AlreadyPatched);
        }

        ElfVersionNeedPatcher.Analyze(NativeTestFiles.ReadCachedLibTorchSharp()).Status
            .Should().Be(PatchStatus.Patchable, "the NuGet cache must never be modified");
    }

    [Fact]
    public void EnsureAvailable_ThenATorchCallWorks_FromManyThreads()
    {
        Parallel.For(0, 8, _ => TorchRuntime.EnsureAvailable());

        using var ones = torch.ones(2);
        using var sum = ones.sum();
        sum.item<float>().Should().Be(2f);
    }

    [LinuxFact]
    public void Diagnose_WithoutNativeLibrary_AsksForABackendPackage()
    {
        var original = new NotSupportedException("This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64");

        var exception = TorchRuntime.Diagnose(original, _folder);

        exception.Should().BeOfType<NativeRuntimeException>();
        exception.InnerException.Should().BeSameAs(original);
        exception.Message.Should().Contain("libLibTorchSharp.so").And.Contain("TorchSharp-cpu").And.Contain("CUDA");
        exception.LibraryPath.Should().BeNull();
    }

    [LinuxFact]
    public void Diagnose_UnpatchedCopy_NamesTheLoaderErrorAndTheRemedy()
    {
        // libtorch.so & co. are already loaded by this process, so the loader gets as far as the version check.
        TorchRuntime.EnsureAvailable();
        var library = Path.Combine(_folder, "libLibTorchSharp.so");
        File.Copy(NativeTestFiles.CachedLibTorchSharp, library);
        var original = new NotSupportedException("doesn't contain a reference to libtorch-cpu-linux-x64");

        var exception = TorchRuntime.Diagnose(original, _folder);

        exception.InnerException.Should().BeSameAs(original);
        exception.LibraryPath.Should().Be(library);
        if (MachineLibStdCxx.Defines(TorchRuntime.WeakenedVersion, out _) == false)
        {
            // The diagnosis reads the loader's own words: check that this machine's loader words them as expected.
            var missing = MissingSymbolVersion.Find(exception.LoaderMessage!);
            missing.Should().NotBeNull(exception.LoaderMessage);
            missing!.Version.Should().Be(TorchRuntime.WeakenedVersion);
            missing.RequiredBy.Should().Be(library);
            Path.GetFileName(missing.Provider).Should().StartWith("libstdc++.so.6");
            exception.Message.Should().Contain("GLIBCXX_3.4.32").And.Contain("not been patched")
                .And.Contain("AutoencodersNativeFix=always").And.Contain("GCC 13");
        }
        else
        {
            exception.Message.Should().Contain(library);
        }
    }

    [Fact]
    public void TheDiagnosisNamesTheVersionTheBuildStepWeakens()
    {
        TorchRuntime.WeakenedVersion.Should().Be(ElfVersionNeedPatcher.DefaultVersionName);
    }

    [Fact]
    public void MissingVersionAdvice_PointsAtTheBuildStep_OnlyForTheShimsMarkerVersion()
    {
        var shim = new MissingSymbolVersion("/lib/libstdc++.so.6", "GLIBCXX_3.4.32", "/app/libLibTorchSharp.so");
        var otherLibrary = shim with { RequiredBy = "/app/libtorch_cpu.so" };
        var otherVersion = shim with { Version = "GLIBCXX_3.4.33" };

        TorchRuntime.MissingVersionAdvice(shim).Should().Contain("not been patched").And.Contain("AutoencodersNativeFix=always");
        foreach (var missing in new[] { otherLibrary, otherVersion })
        {
            var advice = TorchRuntime.MissingVersionAdvice(missing);
            advice.Should().StartWith($"{missing.RequiredBy} requires {missing.Version}, which /lib/libstdc++.so.6 does not provide.");
            advice.Should().NotContain("AutoencodersNativeFix");
        }
    }
}
