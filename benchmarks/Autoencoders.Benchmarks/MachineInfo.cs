using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using TorchSharp;

namespace Autoencoders.Benchmarks;

/// <summary>The machine and software a result was measured on.</summary>
/// <param name="Cores">Logical processors visible to the process.</param>
/// <param name="CpuModel">The "model name" line of /proc/cpuinfo.</param>
/// <param name="OperatingSystem">PRETTY_NAME from /etc/os-release and the kernel.</param>
/// <param name="DotNet">The .NET runtime.</param>
/// <param name="TorchSharp">The TorchSharp assembly's version.</param>
internal sealed record MachineInfo(int Cores, string CpuModel, string OperatingSystem, string DotNet, string TorchSharp)
{
    /// <summary>A load average above this on a 2-core machine means the numbers are not idle-machine numbers.</summary>
    public const double BusyLoad = 1.5;

    public static MachineInfo Collect() => new(
        Environment.ProcessorCount,
        ReadCpuModel(),
        ReadOperatingSystem(),
        RuntimeInformation.FrameworkDescription,
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown");

    /// <summary>The 1-minute load average from /proc/loadavg, or NaN.</summary>
    public static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    public JsonObject ToJson() => new()
    {
        ["cores"] = Cores,
        ["cpu_model"] = CpuModel,
        ["os"] = OperatingSystem,
        ["dotnet"] = DotNet,
        ["torchsharp"] = TorchSharp,
    };

    public string ToMarkdown() =>
        $"""
        | machine | |
        |---|---|
        | cores | {Cores} |
        | CPU | {CpuModel} |
        | OS | {OperatingSystem} |
        | .NET | {DotNet} |
        | TorchSharp | {TorchSharp} |
        """;

    private static string ReadCpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
                .Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string ReadOperatingSystem()
    {
        var pretty = RuntimeInformation.OSDescription;
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (line is not null)
            {
                pretty = $"{line["PRETTY_NAME=".Length..].Trim('"')} ({RuntimeInformation.OSDescription})";
            }
        }
        catch (IOException)
        {
        }

        return pretty;
    }
}
