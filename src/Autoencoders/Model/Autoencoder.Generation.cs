using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>Generation, interpolation and likelihood estimates.</summary>
public sealed partial class Autoencoder
{
    /// <summary>
    /// Draws <paramref name="count"/> codes from the prior N(0, I) and decodes them: new samples, in the
    /// data's units. Needs a variational (Gaussian) bottleneck, the only one with a prior.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not variational.</exception>
    public float[,] Generate(int count, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        RequireVariational(nameof(Generate));
        using var generator = new torch.Generator(unchecked((ulong)seed));
        using var scope = torch.NewDisposeScope();
        var codes = torch.randn([count, LatentSize], generator: generator);
        return Decode(ToArray(codes));
    }

    /// <summary>
    /// Decodes <paramref name="steps"/> codes evenly spaced on the line between the codes of two inputs
    /// (both ends included), in the data's units: a morph from <paramref name="from"/> to <paramref name="to"/>.
    /// </summary>
    public float[,] Interpolate(float[] from, float[] to, int steps)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var rows = new float[2, FeatureCount];
        if (from.Length != FeatureCount || to.Length != FeatureCount)
        {
            throw new ArgumentException($"Both inputs must have {FeatureCount} values; they have {from.Length} and {to.Length}.");
        }

        Buffer.BlockCopy(from, 0, rows, 0, FeatureCount * sizeof(float));
        Buffer.BlockCopy(to, 0, rows, FeatureCount * sizeof(float), FeatureCount * sizeof(float));
        var ends = Encode(rows);
        var codes = new float[steps, LatentSize];
        for (var s = 0; s < steps; s++)
        {
            var t = s / (double)(steps - 1);
            for (var j = 0; j < LatentSize; j++)
            {
                codes[s, j] = (float)(((1 - t) * ends[0, j]) + (t * ends[1, j]));
            }
        }

        return Decode(codes);
    }

    /// <summary>
    /// The negative evidence lower bound −ELBO(x) = E_q[−log p(x|z)] + KL(q(z|x) ‖ p(z)) of each sample,
    /// in nats, with one reparameterised draw per sample and β = 1 whatever β was used in training.
    /// Computed on the scaled data when the model has a scaler.
    /// </summary>
    public double[] NegativeElbo(Data.InMemoryDataset data, long seed = 0)
    {
        var gaussian = RequireVariational(nameof(NegativeElbo));
        return PerSample(data, seed, batchSize: 512, (x, generator) =>
        {
            var (mu, logVar) = gaussian.Posterior(encoder.forward(x));
            var z = mu + (torch.randn(mu.shape, generator: generator) * (logVar * 0.5).exp());
            return NegativeLogLikelihood(decoder.forward(z), x, withConstant: true) + GaussianBottleneck.KlDivergence(mu, logVar);
        });
    }

    /// <summary>
    /// An importance-sampled estimate of log p(x) per sample, in nats (the IWAE bound with
    /// <paramref name="samples"/> draws from q(z|x)): log (1/k) Σ p(x|z_i) p(z_i) / q(z_i|x). It is a
    /// lower bound that tightens as k grows; k = 1 is the ELBO. Computed on the scaled data when the
    /// model has a scaler.
    /// </summary>
    public double[] LogLikelihood(Data.InMemoryDataset data, int samples = 100, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var gaussian = RequireVariational(nameof(LogLikelihood));
        var batchSize = Math.Max(1, 16384 / samples);
        return PerSample(data, seed, batchSize, (x, generator) =>
        {
            var n = x.shape[0];
            var (mu, logVar) = gaussian.Posterior(encoder.forward(x));
            var std = (logVar * 0.5).exp();
            var epsilon = torch.randn([n, samples, LatentSize], generator: generator);
            var z = mu.unsqueeze(1) + (epsilon * std.unsqueeze(1));
            var logQ = (-0.5 * (epsilon.square() + Math.Log(2 * Math.PI))).sum(2) - (0.5 * logVar.sum(1)).unsqueeze(1);
            var logPrior = (-0.5 * (z.square() + Math.Log(2 * Math.PI))).sum(2);
            var repeated = x.unsqueeze(1).expand([n, samples, .. x.shape.Skip(1)]).reshape([n * samples, .. x.shape.Skip(1)]);
            var logLikelihood = -NegativeLogLikelihood(decoder.forward(z.reshape(n * samples, LatentSize)), repeated, withConstant: true).view(n, samples);
            var logWeights = logLikelihood + logPrior - logQ;
            return torch.logsumexp(logWeights, 1) - Math.Log(samples);
        });
    }

    private double[] PerSample(Data.InMemoryDataset data, long seed, int batchSize, Func<Tensor, torch.Generator, Tensor> perSample)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckSampleShape(data.SampleShape);
        var result = new double[data.Count];
        var inputShape = InputShape.Select(d => (long)d).ToArray();
        using var generator = new torch.Generator(unchecked((ulong)seed));
        RunInference(() =>
        {
            for (var start = 0; start < data.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var length = Math.Min(batchSize, data.Count - start);
                var x = ScaleIn(data.Features.narrow(0, start, length).view([length, .. inputShape]).clone());
                var values = perSample(x, generator).to_type(ScalarType.Float64).data<double>().ToArray();
                values.CopyTo(result, start);
            }
        });
        return result;
    }

    private GaussianBottleneck RequireVariational(string operation) =>
        bottleneck as GaussianBottleneck ?? throw new InvalidOperationException(
            $"{operation} needs a variational model (a Gaussian bottleneck: spec.WithGaussianBottleneck()); this model's bottleneck is {bottleneck.GetType().Name}.");

    private static float[,] ToArray(Tensor values)
    {
        var result = new float[values.shape[0], values.shape[1]];
        var flat = values.contiguous().data<float>().ToArray();
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(float));
        return result;
    }
}
