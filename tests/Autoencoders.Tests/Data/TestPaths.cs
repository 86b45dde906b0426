namespace Autoencoders.Tests.Data;

/// <summary>Locates repository files from the test assembly, and makes throw-away folders.</summary>
internal static class TestPaths
{
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Autoencoders.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains Autoencoders.sln.");
        }
    }

    public static string FashionMnistSubset => Path.Combine(RepoRoot, "samples", "data", "fashion-mnist-subset");
}
