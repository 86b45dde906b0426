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
    "b2" or "b3" => B2Representation.Run(options),
    "b6" => B6Likelihood.Run(options),
    _ => throw new InvalidOperationException($"Unhandled benchmark '{options.Name}'."),
};

ResultWriter.Write(result, options);
return 0;
