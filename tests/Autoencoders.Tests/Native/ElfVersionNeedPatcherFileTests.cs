using System.Runtime.Versioning;
using Autoencoders.NativeFix;

namespace Autoencoders.Tests.Native;

[SupportedOSPlatform("linux")]
public sealed class ElfVersionNeedPatcherFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ae-native-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [LinuxFact]
    public void PatchFile_RenamesOverTheTarget_LeavingAHardLinkedOriginalUntouched()
    {
        var original = NativeTestFiles.ReadCachedLibTorchSharp();
        var cacheStandIn = Path.Combine(_folder, "cache.so");
        var output = Path.Combine(_folder, "libLibTorchSharp.so");
        File.WriteAllBytes(cacheStandIn, original);
        File.SetUnixFileMode(cacheStandIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        NativeTestFiles.CreateHardLink(cacheStandIn, output); // as MSBuild's hard-link copy mode would
        var expected = (byte[])original.Clone();
        ElfVersionNeedPatcher.Patch(expected);

        var result = ElfVersionNeedPatcher.PatchFile(output);

        result.Status.Should().Be(PatchStatus.Patched);
        File.ReadAllBytes(output).Should().Equal(expected);
        File.ReadAllBytes(cacheStandIn).Should().Equal(original, "the hard-linked original must not be written through");
        File.GetUnixFileMode(output).Should().Be(File.GetUnixFileMode(cacheStandIn));
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().BeEquivalentTo(["cache.so", "libLibTorchSharp.so"], "no temporary file is left behind");
    }

    [LinuxFact]
    public void PatchFile_IsIdempotent_AndDoesNotRewriteAPatchedFile()
    {
        var output = Path.Combine(_folder, "libLibTorchSharp.so");
        File.WriteAllBytes(output, NativeTestFiles.ReadCachedLibTorchSharp());
        ElfVersionNeedPatcher.PatchFile(output).Status.Should().Be(PatchStatus.Patched);
        var once = File.ReadAllBytes(output);
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(output, stamp);

        var second = ElfVersionNeedPatcher.PatchFile(output);

        second.Status.Should().Be(PatchStatus.AlreadyPatched);
        File.ReadAllBytes(output).Should().Equal(once);
        File.GetLastWriteTimeUtc(output).Should().Be(stamp);
    }

    [LinuxFact]
    public void PatchFile_KeepsAReadOnlyMode()
    {
        var output = Path.Combine(_folder, "libLibTorchSharp.so");
        File.WriteAllBytes(output, NativeTestFiles.ReadCachedLibTorchSharp());
        var mode = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(output, mode);

        ElfVersionNeedPatcher.PatchFile(output).Status.Should().Be(PatchStatus.Patched);

        File.GetUnixFileMode(output).Should().Be(mode);
        ElfVersionNeedPatcher.Analyze(File.ReadAllBytes(output)).Status.Should().Be(PatchStatus.AlreadyPatched);
    }

    [LinuxFact]
    public void PatchFile_Refusal_LeavesTheFileAlone()
    {
        var output = Path.Combine(_folder, "not-elf.so");
        File.WriteAllText(output, "not an ELF file");

        ElfVersionNeedPatcher.PatchFile(output).Status.Should().Be(PatchStatus.NotElf64);

        File.ReadAllText(output).Should().Be("not an ELF file");
        Directory.GetFiles(_folder).Should().ContainSingle();
    }
}
