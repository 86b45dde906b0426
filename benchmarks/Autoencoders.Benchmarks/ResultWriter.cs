using System.Text.Json;

namespace Autoencoders.Benchmarks;

/// <summary>Writes a report: JSON to <c>--out</c> (if given), Markdown to benchmarks/results/.</summary>
internal static class ResultWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(BenchmarkReport report, BenchmarkOptions options)
    {
        if (options.OutPath is { } outPath)
        {
            var full = Path.GetFullPath(outPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, report.Json.ToJsonString(Indented) + "\n");
            Console.WriteLine($"JSON written to {full}");
        }

        var root = RepositoryInfo.FindRoot();
        var folder = root is null
            ? Path.GetFullPath("results")
            : Path.Combine(root, "benchmarks", "results");
        Directory.CreateDirectory(folder);
        var markdownPath = Path.Combine(folder, report.MarkdownFileName);
        File.WriteAllText(markdownPath, report.Markdown);
        Console.WriteLine($"Markdown written to {markdownPath}");
    }
}
