using System.Runtime.InteropServices;
using Autoencoders.Data;
using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// An autoencoder with a Gaussian bottleneck (a variational autoencoder): besides everything an
/// <see cref="Autoencoder"/> does, it generates new samples from its prior and estimates each sample's
/// likelihood. <see cref="AutoencoderSpec.Build"/> and <c>Autoencoder.Load</c> return this type for
/// every spec with a <see cref="GaussianBottleneckSpec"/>, and only for those, so the operations that need
/// a posterior and a prior exist only where there is one.
/// </summary>
/// <example>
/// <code>
/// using var vae = (VariationalAutoencoder)AutoencoderSpec.Variational([784], latent: 20, hidden: [500]).Build(seed: 1);
/// new Trainer(new TrainerOptions { Epochs = 20 }).Fit(vae, train);
/// float[,] samples = vae.Generate(16, seed: 7);
/// double[] logLikelihoods = vae.LogLikelihood(test, samples: 100);
///
/// if (Autoencoder.Load(path) is VariationalAutoencoder loaded) { /* generate, score by −ELBO, ... */ }
/// </code>
/// </example>
public sealed class VariationalAutoencoder : Autoencoder
{
    internal VariationalAutoencoder(AutoencoderSpec spec, Device device)
        : base(spec, device)
    {
    }

    /// <summary>
    /// Draws <paramref name="count"/> codes from the prior N(0, I) and decodes them: new samples, in the
    /// data's units.
    /// </summary>
    public float[,] Generate(int count, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        using var generator = new torch.Generator(unchecked((ulong)seed));
        using var scope = torch.NewDisposeScope();
        var codes = torch.randn([count, LatentSize], generator: generator);
        return Decode(ToArray(codes));
    }

    /// <summary>
    /// The negative evidence lower bound −ELBO(x) = E_q[−log p(x|z)] + KL(q(z|x) ‖ p(z)) of each sample,
    /// in nats, with one reparameterised draw per sample and β = 1 whatever β was used in training.
    /// Computed on the scaled data when the model has a scaler. A sample's draw comes from
    /// <paramref name="seed"/> and the sample's own values, so the same sample always gets the same value,
    /// whatever else is in the data, while different samples get independent draws.
    /// </summary>
    public double[] NegativeElbo(DataSource data, long seed = 0) =>
        Arrays.PerSample(data, batchSize: 512, x =>
        {
            Likelihood.CheckDomain(x);
            var (mu, logVar) = Gaussian.Posterior(Encoder.forward(x));
            var z = mu.Add(SampleDraws(x, 1, seed).squeeze(1) * logVar.Mul(0.5).exp());
            return Likelihood.NegativeLogLikelihood(Decoder.forward(z), x).Add(GaussianBottleneck.KlDivergence(mu, logVar));
        });

    /// <summary>
    /// An importance-sampled estimate of log p(x) per sample, in nats (the IWAE bound with
    /// <paramref name="samples"/> draws from q(z|x)): log (1/k) Σ p(x|z_i) p(z_i) / q(z_i|x). It is a
    /// lower bound that tightens as k grows; k = 1 is the ELBO. Computed on the scaled data when the
    /// model has a scaler. A sample's draws come from <paramref name="seed"/> and the sample's own values,
    /// so the same sample always gets the same value, whatever else is in the data.
    /// </summary>
    public double[] LogLikelihood(DataSource data, int samples = 100, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var batchSize = Math.Max(1, 16384 / samples);
        return Arrays.PerSample(data, batchSize, x =>
        {
            Likelihood.CheckDomain(x);
            var n = x.shape[0];
            var (mu, logVar) = Gaussian.Posterior(Encoder.forward(x));
            var std = logVar.Mul(0.5).exp();
            var epsilon = SampleDraws(x, samples, seed);
            var z = mu.unsqueeze(1).Add(epsilon * std.unsqueeze(1));
            var logQ = epsilon.Square().Add(Math.Log(2 * Math.PI)).Mul(-0.5).sum(2) - logVar.sum(1).Mul(0.5).unsqueeze(1);
            var logPrior = z.Square().Add(Math.Log(2 * Math.PI)).Mul(-0.5).sum(2);
            var repeated = x.unsqueeze(1).expand([n, samples, .. x.shape.Skip(1)]).reshape([n * samples, .. x.shape.Skip(1)]);
            var logLikelihood = -Likelihood.NegativeLogLikelihood(Decoder.forward(z.reshape(n * samples, LatentSize)), repeated).view(n, samples);
            var logWeights = logLikelihood.Add(logPrior) - logQ;
            return torch.logsumexp(logWeights, 1).Sub(Math.Log(samples));
        });
    }

    /// <summary>The active units of (at most <paramref name="maxSamples"/>) samples, to watch for posterior collapse.</summary>
    internal override IReadOnlyDictionary<string, double> Diagnose(DataSource data, int maxSamples)
    {
        var codes = Arrays.Encode(data, maxSamples);
        return codes.GetLength(0) >= 2
            ? new Dictionary<string, double> { [ActiveUnitsDiagnostic] = CountActive(codes, 0.01) }
            : new Dictionary<string, double>();
    }

    private GaussianBottleneck Gaussian => (GaussianBottleneck)Bottleneck;

    /// <summary>
    /// Standard normal draws [batch, count, latent] on the batch's device, each sample's from a CPU generator
    /// seeded by <paramref name="seed"/> and a hash (FNV-1a) of the sample's values, so that a sample gets
    /// the same draws on every device.
    /// </summary>
    private Tensor SampleDraws(Tensor x, int count, long seed)
    {
        var n = (int)x.shape[0];
        var width = (int)(x.numel() / Math.Max(n, 1));
        var values = x.cpu().contiguous().data<float>().ToArray();
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

        return torch.stack(draws).to(x.device);
    }

    private static float[,] ToArray(Tensor values)
    {
        var result = new float[values.shape[0], values.shape[1]];
        var flat = values.contiguous().data<float>().ToArray();
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(float));
        return result;
    }
}
