using Autoencoders.Export.Graph;
using Autoencoders.Model;
using TorchSharp.Modules;

namespace Autoencoders.Export.Modules;

/// <summary>
/// The TorchSharp modules behind every <see cref="Model.Activation"/>. Opset 17 has no Gelu, so GELU is
/// written out as PyTorch computes it, x·½·(1 + erf(x/√2)); SiLU is x·σ(x).
/// </summary>
internal static class ActivationExporters
{
    public static IEnumerable<IModuleExporter> All =>
    [
        new Simple<Identity>((_, input, _) => input),
        new Simple<ReLU>((_, input, context) => context.Node("Relu", string.Empty, [input])),
        new Simple<LeakyReluActivation>((module, input, context) =>
            context.Node("LeakyRelu", string.Empty, [input], OnnxGraph.Attribute("alpha", (float)module.NegativeSlope))),
        new Simple<EluActivation>((module, input, context) =>
            context.Node("Elu", string.Empty, [input], OnnxGraph.Attribute("alpha", (float)module.Alpha))),
        new Simple<GELU>(Gelu),
        new Simple<SiLU>((_, input, context) =>
            context.Node("Mul", "mul", [input, context.Node("Sigmoid", "sigmoid", [input])])),
        new Simple<Tanh>((_, input, context) => context.Node("Tanh", string.Empty, [input])),
        new Simple<Sigmoid>((_, input, context) => context.Node("Sigmoid", string.Empty, [input])),
    ];

    private static string Gelu(GELU module, string input, ExportContext context)
    {
        if (module.approximate != GELU.Approximate.none)
        {
            throw new NotSupportedException($"ONNX export: {context.Path} uses GELU's {module.approximate} approximation; only the exact GELU exports.");
        }

        var graph = context.Graph;
        var scaled = context.Node("Mul", "scale", [input, graph.Constant($"{context.Path}.rsqrt2", [(float)(1 / Math.Sqrt(2))], [])]);
        var onePlusErf = context.Node("Add", "add", [context.Node("Erf", "erf", [scaled]), graph.Constant($"{context.Path}.one", [1f], [])]);
        var half = context.Node("Mul", "half", [input, graph.Constant($"{context.Path}.half", [0.5f], [])]);
        return context.Node("Mul", string.Empty, [half, onePlusErf]);
    }

    private sealed class Simple<TModule>(Func<TModule, string, ExportContext, string> export) : ModuleExporter<TModule>
        where TModule : TorchSharp.torch.nn.Module
    {
        protected override string Export(TModule module, string input, ExportContext context) => export(module, input, context);
    }
}
