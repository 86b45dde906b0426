using Autoencoders.Benchmarks;

var options = BenchmarkOptions.Parse(args, Console.Error);
if (options is null)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

var result = options.Name switch
{
    "b1" => B1Throughput.Run(options),
    "soak" => Soak.Run(options),
    "b4" => B4OneClass.Run(options),
    _ => throw new InvalidOperationException($"Unhandled benchmark '{options.Name}'."),
};

ResultWriter.Write(result, options);
return 0;
