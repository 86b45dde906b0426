using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CustomModules;

/// <summary>
/// A small residual MLP, written as any TorchSharp module: flatten, a linear map to the residual stream,
/// then blocks h ← h + W₂·GELU(W₁·LayerNorm(h)). It returns [batch, width]; the library's bottleneck maps
/// that to the code, whatever the width.
/// </summary>
public sealed class ResidualMlpEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Linear input;
    private readonly ModuleList<ResidualBlock> blocks;

    public ResidualMlpEncoder(int features, ResidualMlpParameters parameters)
        : base(nameof(ResidualMlpEncoder))
    {
        input = nn.Linear(features, parameters.Width);
        blocks = new ModuleList<ResidualBlock>(Enumerable.Range(0, parameters.Blocks).Select(_ => new ResidualBlock(parameters.Width)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        var h = input.forward(images.flatten(1));
        foreach (var block in blocks)
        {
            h = block.forward(h);
        }

        return h;
    }

    private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        // h + x would pass TorchSharp a temporary Scalar (an alpha of 1) that the garbage collector may free
        // while libtorch reads it; a static one lives as long as the process (see docs/reliability.md).
        private static readonly Scalar One = 1.ToScalar();

        private readonly LayerNorm norm;
        private readonly Linear expand;
        private readonly Linear project;

        public ResidualBlock(int width)
            : base(nameof(ResidualBlock))
        {
            norm = nn.LayerNorm(width);
            expand = nn.Linear(width, 2 * width);
            project = nn.Linear(2 * width, width);
            RegisterComponents();
        }

        public override Tensor forward(Tensor h) => h.add(project.forward(nn.functional.gelu(expand.forward(norm.forward(h)))), One);
    }
}
