// The gallery: samples that train small autoencoders on Fashion-MNIST (or a CSV) and write pictures.
//
//   dotnet run -c Release --project samples/Gallery -- [all|readme|latent-map|reconstructions|vae|denoising|anomaly-fashion|anomaly-tabular|anomaly-mlnet] [options]
//
// Run with --help for the options. PNGs go to ./gallery-output unless --out says otherwise.
using Gallery;
using Spectre.Console;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(GalleryOptions.Usage);
    return 0;
}

GalleryOptions options;
try
{
    options = GalleryOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{GalleryOptions.Usage}");
    return 1;
}

var samples = new Dictionary<string, Action<GalleryOptions>>
{
    ["latent-map"] = LatentMapSample.Run,
    ["reconstructions"] = ReconstructionSample.Run,
    ["vae"] = VaeSample.Run,
    ["denoising"] = DenoisingSample.Run,
    ["anomaly-fashion"] = FashionAnomalySample.Run,
    ["anomaly-tabular"] = TabularAnomalySample.Run,
    ["anomaly-mlnet"] = MLNetAnomalySample.Run,
};

string[] chosen = options.Sample switch
{
    "all" => ["latent-map", "reconstructions", "vae", "denoising", "anomaly-fashion"],
    "readme" => GalleryOptions.ReadmeSamples,
    _ => [options.Sample],
};
if (chosen.FirstOrDefault(s => !samples.ContainsKey(s)) is { } unknown)
{
    Console.Error.WriteLine($"error: unknown sample '{unknown}'.\n\n{GalleryOptions.Usage}");
    return 1;
}

var pictures = chosen.Any(s => s is not ("anomaly-tabular" or "anomaly-mlnet"));
if (pictures)
{
    Directory.CreateDirectory(options.OutputFolder);
}

var clock = System.Diagnostics.Stopwatch.StartNew();
foreach (var name in chosen)
{
    AnsiConsole.Write(new Rule($"[yellow]{name}[/]").LeftJustified());
    samples[name](options);
}

AnsiConsole.MarkupLine($"[green]Done[/] in {clock.Elapsed.TotalSeconds:f0} s" + (pictures ? $"; pictures in {Markup.Escape(Path.GetFullPath(options.OutputFolder))}" : string.Empty));
return 0;
