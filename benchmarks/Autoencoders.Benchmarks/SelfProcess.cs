using System.Diagnostics;
using System.Reflection;

namespace Autoencoders.Benchmarks;

/// <summary>Starts this benchmark program again, in another mode (a busy process, a wait-policy worker).</summary>
internal static class SelfProcess
{
    /// <summary>A start description for this program with <paramref name="args"/>, standard streams redirected.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable cannot be found.");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Run as "dotnet Autoencoders.Benchmarks.dll": start the same assembly through the same host.
        if (string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
