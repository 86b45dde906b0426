using System.Collections;
using System.Runtime.Versioning;
using Autoencoders.NativeFix;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Autoencoders.Tests.Native;

/// <summary>The MSBuild task behind AutoencodersNativeFix=auto|always|never, run in-process as MSBuild runs it.</summary>
[SupportedOSPlatform("linux")]
public sealed class PatchLibTorchSharpTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ae-task-").FullName;
    private readonly RecordingBuildEngine _engine = new();
    private readonly string _copy;
    private readonly byte[] _original = NativeTestFiles.ReadCachedLibTorchSharp();

    public PatchLibTorchSharpTests()
    {
        _copy = Path.Combine(_folder, "libLibTorchSharp.so");
        File.WriteAllBytes(_copy, _original);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [LinuxFact]
    public void Never_LeavesTheCopyAlone()
    {
        var task = Task("never");

        task.Execute().Should().BeTrue();

        File.ReadAllBytes(_copy).Should().Equal(_original);
        task.PatchedFiles.Should().BeEmpty();
    }

    [LinuxFact]
    public void Always_PatchesTheCopy_ThenFindsItPatched()
    {
        var first = Task("always");
        first.Execute().Should().BeTrue();
        var second = Task("always");
        second.Execute().Should().BeTrue();

        first.PatchedFiles.Select(f => f.ItemSpec).Should().Equal(_copy);
        second.PatchedFiles.Should().BeEmpty();
        ElfVersionNeedPatcher.Analyze(File.ReadAllBytes(_copy)).Status.Should().Be(PatchStatus.AlreadyPatched);
        _engine.Warnings.Should().BeEmpty();
    }

    [LinuxFact]
    public void Auto_PatchesExactlyWhenThisMachinesLibStdCxxLacksTheVersion()
    {
        var lacks = MachineLibStdCxx.Defines(ElfVersionNeedPatcher.DefaultVersionName, out _) != true;
        var task = Task("auto");

        task.Execute().Should().BeTrue();

        var expected = lacks ? PatchStatus.AlreadyPatched : PatchStatus.Patchable;
        ElfVersionNeedPatcher.Analyze(File.ReadAllBytes(_copy)).Status.Should().Be(expected);
        task.PatchedFiles.Should().HaveCount(lacks ? 1 : 0);
    }

    [LinuxFact]
    public void Auto_DoesNothing_WhenTheMachineDefinesTheVersion()
    {
        // Every libstdc++ defines GLIBCXX_3.4: this is what auto does on a distribution with GCC 13+.
        MachineLibStdCxx.Defines("GLIBCXX_3.4", out _).Should().BeTrue();
        var task = Task("auto", version: "GLIBCXX_3.4");

        task.Execute().Should().BeTrue();

        File.ReadAllBytes(_copy).Should().Equal(_original);
        _engine.Warnings.Should().BeEmpty("auto does not even look at the file");
    }

    [LinuxFact]
    public void Always_RefusesAVersionRealSymbolsNeed_WithAWarning()
    {
        var task = Task("always", version: "GLIBCXX_3.4");

        task.Execute().Should().BeTrue("a refusal warns; it does not fail the build");

        File.ReadAllBytes(_copy).Should().Equal(_original);
        _engine.Warnings.Should().ContainSingle().Which.Code.Should().Be("AENATIVE001");
        _engine.Warnings[0].Message.Should().Contain("refused").And.Contain("AutoencodersNativeFix=never");
    }

    [LinuxFact]
    public void AnUnknownMode_FailsTheBuild_NamingTheChoices()
    {
        var task = Task("sometimes");

        task.Execute().Should().BeFalse();

        File.ReadAllBytes(_copy).Should().Equal(_original);
        _engine.Errors.Should().ContainSingle().Which.Code.Should().Be("AENATIVE002");
        _engine.Errors[0].Message.Should().Contain("'auto', 'always' or 'never'").And.Contain("sometimes");
    }

    private PatchLibTorchSharp Task(string mode, string version = ElfVersionNeedPatcher.DefaultVersionName) => new()
    {
        BuildEngine = _engine,
        Files = [new TaskItem(_copy)],
        Mode = mode,
        VersionName = version,
    };

    private sealed class RecordingBuildEngine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];

        public List<BuildWarningEventArgs> Warnings { get; } = [];

        public bool ContinueOnError => false;

        public int LineNumberOfTaskNode => 0;

        public int ColumnNumberOfTaskNode => 0;

        public string ProjectFileOfTaskNode => "test.proj";

        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

        public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);

        public void LogMessageEvent(BuildMessageEventArgs e)
        {
        }

        public void LogCustomEvent(CustomBuildEventArgs e)
        {
        }

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
            throw new NotSupportedException();
    }
}
