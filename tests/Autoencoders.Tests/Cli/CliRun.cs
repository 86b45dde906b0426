using Autoencoders.Cli;

namespace Autoencoders.Tests.Cli;

/// <summary>One in-process run of the command-line tool: exit code, standard output and standard error.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args) => WithInput(TextReader.Null, args);

    /// <summary>A run that reads <paramref name="input"/> as its standard input.</summary>
    public static CliRun WithInput(TextReader input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, input, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
