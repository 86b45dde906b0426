using System.Diagnostics;

namespace Autoencoders.Benchmarks;

/// <summary>Where the repository is and which commit is checked out.</summary>
internal static class RepositoryInfo
{
    private const string SolutionFile = "Autoencoders.sln";

    /// <summary>
    /// The folder holding Autoencoders.sln, found by walking up from the current directory and then from
    /// the program's folder; null when neither is inside the repository.
    /// </summary>
    public static string? FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>`git rev-parse HEAD` (with "-dirty" when there are uncommitted changes), or null.</summary>
    public static string? Commit(string? root)
    {
        if (root is null)
        {
            return null;
        }

        var head = Git(root, "rev-parse HEAD");
        if (head is null)
        {
            return null;
        }

        var status = Git(root, "status --porcelain --untracked-files=no");
        return string.IsNullOrEmpty(status) ? head : head + "-dirty";
    }

    private static string? Git(string root, string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed
        }
    }
}
