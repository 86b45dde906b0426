using Autoencoders.Native;

namespace Autoencoders.Tests.Native;

public class MissingSymbolVersionTests
{
    [Fact]
    public void Find_ReadsGlibcsWording_InsideDotNetsMessage()
    {
        const string message =
            "Unable to load shared library '/app/libLibTorchSharp.so' or one of its dependencies. In order to help diagnose loading problems, "
            + "consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \n"
            + "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/libLibTorchSharp.so)";

        MissingSymbolVersion.Find(message).Should().Be(
            new MissingSymbolVersion("/lib/x86_64-linux-gnu/libstdc++.so.6", "GLIBCXX_3.4.32", "/app/libLibTorchSharp.so"));
    }

    [Fact]
    public void Find_NamesTheLibraryThatNeedsTheVersion_WhenItIsNotTheShim()
    {
        const string message = "/usr/lib/libc.so.6: version `GLIBC_2.38' not found (required by /app/my libs/libtorch_cpu.so)";

        MissingSymbolVersion.Find(message).Should().Be(
            new MissingSymbolVersion("/usr/lib/libc.so.6", "GLIBC_2.38", "/app/my libs/libtorch_cpu.so"));
    }

    [Theory]
    [InlineData("libtorch.so: cannot open shared object file: No such file or directory")]
    [InlineData("/app/libLibTorchSharp.so: undefined symbol: THSTensor_new")]
    [InlineData("")]
    public void Find_OtherLoaderErrors_AreNotMissingVersions(string message)
    {
        MissingSymbolVersion.Find(message).Should().BeNull();
    }
}
