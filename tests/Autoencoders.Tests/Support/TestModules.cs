using Autoencoders.Model;
using Autoencoders.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Support;

/// <summary>
/// Modules of "a user's own", registered under test names: the custom-module axis of the variant suite.
/// The residual encoder creates its layers on the context's device, as a factory should; the others
/// ignore it, as a factory may, and are moved there by the library.
/// </summary>
internal static class TestModules
{
    public const string ResidualMlp = "Tests.ResidualMlp";
    public const string Mlp = "Tests.Mlp";
    public const string Gru = "Tests.Gru";

    /// <summary>Registers the modules (idempotent: the factories are the same delegates every time).</summary>
    public static void Register()
    {
        ModuleRegistry.RegisterEncoder<ResidualParameters>(ResidualMlp, static (context, p) => new ResidualMlpEncoder(context.FeatureCount, p.Width, p.Blocks, context.Device));
        ModuleRegistry.RegisterDecoder<MlpParameters>(Mlp, static (context, p) => new MlpDecoder(context.LatentSize, p.Hidden, context.FeatureCount));
        ModuleRegistry.RegisterEncoder<GruParameters>(Gru, static (context, p) => new GruEncoder(context.InputShape[1], p.Hidden));
    }

    public static ModuleSpec ResidualEncoder(int width = 12, int blocks = 2)
    {
        Register();
        return ModuleSpec.Create(ResidualMlp, new ResidualParameters(width, blocks));
    }

    public static ModuleSpec MlpDecoderSpec(int hidden = 12)
    {
        Register();
        return ModuleSpec.Create(Mlp, new MlpParameters(hidden));
    }

    public sealed record ResidualParameters(int Width, int Blocks);

    public sealed record MlpParameters(int Hidden);

    public sealed record GruParameters(int Hidden);

    /// <summary>Flatten → Linear → ReLU, then blocks x + ReLU(Linear(x)): returns [batch, width].</summary>
    private sealed class ResidualMlpEncoder : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear input;
        private readonly ModuleList<TorchSharp.Modules.Linear> blocks;

        public ResidualMlpEncoder(int features, int width, int blockCount, Device device)
            : base(nameof(ResidualMlpEncoder))
        {
            input = nn.Linear(features, width, device: device);
            blocks = new ModuleList<TorchSharp.Modules.Linear>(Enumerable.Range(0, blockCount).Select(_ => nn.Linear(width, width, device: device)).ToArray());
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var h = nn.functional.relu(input.forward(x.flatten(1)));
            foreach (var block in blocks)
            {
                h = h.Add(nn.functional.relu(block.forward(h)));
            }

            return h;
        }
    }

    /// <summary>Linear → Tanh → Linear to the flat feature count: returns [batch, features], which the library reshapes.</summary>
    private sealed class MlpDecoder : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential layers;

        public MlpDecoder(int latent, int hidden, int features)
            : base(nameof(MlpDecoder))
        {
            layers = nn.Sequential(nn.Linear(latent, hidden), nn.Tanh(), nn.Linear(hidden, features));
            RegisterComponents();
        }

        public override Tensor forward(Tensor code) => layers.forward(code);
    }

    /// <summary>A GRU over [batch, steps, features] sequences; the last hidden state is the features.</summary>
    private sealed class GruEncoder : nn.Module<Tensor, Tensor>
    {
        private readonly GRU gru;

        public GruEncoder(int features, int hidden)
            : base(nameof(GruEncoder))
        {
            gru = nn.GRU(features, hidden, batchFirst: true);
            RegisterComponents();
        }

        public override Tensor forward(Tensor sequences)
        {
            var (_, last) = gru.forward(sequences);
            return last[0];
        }
    }
}
