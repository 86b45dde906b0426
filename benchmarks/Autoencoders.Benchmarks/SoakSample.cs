namespace Autoencoders.Benchmarks;

/// <summary>What the soak run recorded after one epoch.</summary>
internal sealed record SoakSample(int Epoch, double Loss, double SamplesPerSecond, double RssMegabytes, double ManagedMegabytes);
