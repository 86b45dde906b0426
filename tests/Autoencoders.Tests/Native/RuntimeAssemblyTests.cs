namespace Autoencoders.Tests.Native;

public class RuntimeAssemblyTests
{
    [Fact]
    public void TheRuntimeLibrary_CarriesNoBuildTooling()
    {
        // The ELF patcher and its MSBuild task live in Autoencoders.NativeFix, shipped in the package's buildTransitive/.
        var library = typeof(NativeRuntimeException).Assembly;

        library.GetReferencedAssemblies().Select(a => a.Name!)
            .Should().NotContain(name => name.StartsWith("Microsoft.Build", StringComparison.Ordinal) || name == "Autoencoders.NativeFix");
        library.GetTypes().Select(t => t.Name)
            .Should().NotContain(["ElfVersionNeedPatcher", "PatchLibTorchSharp", "ElfFile", "PatchResult"]);
    }
}
