namespace Autoencoders.Samples;

/// <summary>Finds the data shipped in the repository's samples/data folder (shared by the sample programs).</summary>
internal static class RepositoryData
{
    /// <summary>
    /// The path of samples/data/<paramref name="name"/>, looked for above the program's folder and above
    /// the current directory.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Neither is inside the repository.</exception>
    public static string Find(string name)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "data", name);
                if (Directory.Exists(candidate) || File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"samples/data/{name} was not found above the program's folder or the current directory; pass its location (for Fashion-MNIST, a folder holding the four standard files).");
    }
}
