using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Autoencoders.Data;
using Autoencoders.Model;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;

namespace Autoencoders.Benchmarks;

/// <summary>What B5 and B7 share: repository and machine facts, data loading, result files, weight access.</summary>
internal static class LinearBenchSupport
{
    /// <summary>A 1-minute load average above this on a 2-core machine means the timings are not idle-machine timings.</summary>
    public const double BusyLoad = 1.5;

    public static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Autoencoders.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("No folder above the program or the current directory holds Autoencoders.sln.");
    }

    /// <summary>git rev-parse HEAD, with "-dirty" when the work tree has uncommitted changes.</summary>
    public static string Commit(string root)
    {
        var head = Git(root, "rev-parse HEAD");
        var dirty = Git(root, "status --porcelain --untracked-files=no");
        return head.Length == 0 ? "unknown" : dirty.Length > 0 ? head + "-dirty" : head;
    }

    public static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>The Fashion-MNIST folder: the one given, else Debian's, else the repository's subset.</summary>
    public static string DataFolder(string? folder, string root) =>
        folder ?? FashionMnist.FindDefaultFolder() ?? Path.Combine(root, "samples", "data", "fashion-mnist-subset");

    public static Dictionary<string, object?> Header(string name, string root, bool quick, double loadBefore) => new()
    {
        ["benchmark"] = name,
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
        ["commit"] = Commit(root),
        ["quick"] = quick,
        ["machine"] = new Dictionary<string, object?>
        {
            ["cores"] = Environment.ProcessorCount,
            ["cpu_model"] = CpuModel(),
            ["dotnet"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["load_average_before"] = loadBefore,
        },
    };

    public static string MachineMarkdown(Dictionary<string, object?> header, double loadAfter)
    {
        var machine = (Dictionary<string, object?>)header["machine"]!;
        var before = (double)machine["load_average_before"]!;
        var busy = before > BusyLoad || loadAfter > BusyLoad
            ? $"\n\n**The machine was busy** (1-minute load average {before:f2} before, {loadAfter:f2} after, above {BusyLoad}): timings are not idle-machine timings.\n"
            : string.Empty;
        return $"""
            | | |
            |---|---|
            | date | {header["date"]} |
            | commit | `{header["commit"]}` |
            | machine | {machine["cores"]} cores, {machine["cpu_model"]} |
            | .NET | {machine["dotnet"]} |
            | load average (1 min) before / after | {before:f2} / {loadAfter:f2} |
            | mode | {((bool)header["quick"]! ? "quick" : "full")} |
            {busy}
            """;
    }

    /// <summary>Writes the JSON summary (when a path is given) and the Markdown report; returns the report's path.</summary>
    public static string Write(string name, bool quick, string? outPath, Dictionary<string, object?> json, string markdown, string root)
    {
        if (outPath is not null)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
            Directory.CreateDirectory(folder!);
            File.WriteAllText(outPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"JSON: {outPath}");
        }

        var results = Path.Combine(root, "benchmarks", "results");
        Directory.CreateDirectory(results);
        var file = Path.Combine(results, $"{name}-{DateTime.UtcNow:yyyy-MM-dd}{(quick ? "-quick" : string.Empty)}.md");
        File.WriteAllText(file, markdown.TrimEnd() + "\n");
        Console.WriteLine($"Markdown: {file}");
        return file;
    }

    /// <summary>Subtracts the given column means from every row.</summary>
    public static float[,] Centre(float[,] rows, Vector<double> mean)
    {
        var result = new float[rows.GetLength(0), rows.GetLength(1)];
        for (var i = 0; i < rows.GetLength(0); i++)
        {
            for (var j = 0; j < rows.GetLength(1); j++)
            {
                result[i, j] = (float)(rows[i, j] - mean[j]);
            }
        }

        return result;
    }

    /// <summary>A linear autoencoder's encoder, k×d (the bottleneck's linear layer; the dense encoder has no layers).</summary>
    public static Matrix<double> EncoderWeights(Autoencoder model) => Weights(model, "bottleneck.code.weight");

    /// <summary>A linear autoencoder's decoder, d×k: its columns span the learned subspace.</summary>
    public static Matrix<double> DecoderWeights(Autoencoder model) => Weights(model, "decoder.layers.output.weight");

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Matrix<double> Weights(Autoencoder model, string name)
    {
        var weight = model.named_parameters().Single(p => p.name == name).parameter;
        using var noGrad = torch.no_grad();
        var values = weight.detach().to_type(torch.ScalarType.Float64).contiguous().data<double>().ToArray();
        var (rows, columns) = ((int)weight.shape[0], (int)weight.shape[1]);
        return Matrix<double>.Build.Dense(rows, columns, (i, j) => values[(i * columns) + j]);
    }

    private static string Git(string root, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : string.Empty;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return string.Empty;
        }
    }
}
