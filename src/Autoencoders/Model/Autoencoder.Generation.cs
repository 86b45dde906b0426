using System.Runtime.InteropServices;
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
    /// Computed on the scaled data when the model has a scaler. A sample's draw comes from
    /// <paramref name="seed"/> and the sample's own values, so the same sample always gets the same value,
    /// whatever else is in the data, while different samples get independent draws.
    /// </summary>
    public double[] NegativeElbo(Data.InMemoryDataset data, long seed = 0)
    {
        var gaussian = RequireVariational(nameof(NegativeElbo));
        return PerSample(data, batchSize: 512, x =>
        {
            var (mu, logVar) = gaussian.Posterior(encoder.forward(x));
            var z = mu + (SampleDraws(x, 1, seed).squeeze(1) * (logVar * 0.5).exp());
            return NegativeLogLikelihood(decoder.forward(z), x, withConstant: true) + GaussianBottleneck.KlDivergence(mu, logVar);
        });
    }

    /// <summary>
    /// An importance-sampled estimate of log p(x) per sample, in nats (the IWAE bound with
    /// <paramref name="samples"/> draws from q(z|x)): log (1/k) Σ p(x|z_i) p(z_i) / q(z_i|x). It is a
    /// lower bound that tightens as k grows; k = 1 is the ELBO. Computed on the scaled data when the
    /// model has a scaler. A sample's draws come from <paramref name="seed"/> and the sample's own values,
    /// so the same sample always gets the same value, whatever else is in the data.
    /// </summary>
    public double[] LogLikelihood(Data.InMemoryDataset data, int samples = 100, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var gaussian = RequireVariational(nameof(LogLikelihood));
        var batchSize = Math.Max(1, 16384 / samples);
        return PerSample(data, batchSize, x =>
        {
            var n = x.shape[0];
            var (mu, logVar) = gaussian.Posterior(encoder.forward(x));
            var std = (logVar * 0.5).exp();
            var epsilon = SampleDraws(x, samples, seed);
            var z = mu.unsqueeze(1) + (epsilon * std.unsqueeze(1));
            var logQ = (-0.5 * (epsilon.square() + Math.Log(2 * Math.PI))).sum(2) - (0.5 * logVar.sum(1)).unsqueeze(1);
            var logPrior = (-0.5 * (z.square() + Math.Log(2 * Math.PI))).sum(2);
            var repeated = x.unsqueeze(1).expand([n, samples, .. x.shape.Skip(1)]).reshape([n * samples, .. x.shape.Skip(1)]);
            var logLikelihood = -NegativeLogLikelihood(decoder.forward(z.reshape(n * samples, LatentSize)), repeated, withConstant: true).view(n, samples);
            var logWeights = logLikelihood + logPrior - logQ;
            return torch.logsumexp(logWeights, 1) - Math.Log(samples);
        });
    }

    /// <summary>
    /// Standard normal draws [batch, count, latent], each sample's from a generator seeded by
    /// <paramref name="seed"/> and a hash (FNV-1a) of the sample's values.
    /// </summary>
    private Tensor SampleDraws(Tensor x, int count, long seed)
    {
        var n = (int)x.shape[0];
        var width = (int)(x.numel() / Math.Max(n, 1));
        var values = x.contiguous().data<float>().ToArray();
        var draws = new Tensor[n];
        for (var i = 0; i < n; i++)
        {
            var hash = 14695981039346656037UL;
            foreach (var bits in MemoryMarshal.Cast<float, uint>(values.AsSpan(i * width, width)))
            {
                hash = (hash ^ bits) * 1099511628211UL;
            }

            using var generator = new torch.Generator(hash ^ unchecked((ulong)seed));
            draws[i] = torch.randn([count, LatentSize], generator: generator);
        }

        return torch.stack(draws);
    }

    private double[] PerSample(Data.InMemoryDataset data, int batchSize, Func<Tensor, Tensor> perSample)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckSampleShape(data.SampleShape);
        var result = new double[data.Count];
        var inputShape = InputShape.Select(d => (long)d).ToArray();
        RunInference(() =>
        {
            for (var start = 0; start < data.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var length = Math.Min(batchSize, data.Count - start);
                var x = ScaleIn(data.Features.narrow(0, start, length).view([length, .. inputShape]).clone());
                CheckLikelihoodDomain(x);
                var values = perSample(x).to_type(ScalarType.Float64).data<double>().ToArray();
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
