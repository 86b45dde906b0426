using TorchSharp.Modules;

namespace Autoencoders.Export.Modules;

/// <summary>Unflatten(1, [c, h, w]) as a Reshape to [0, c, h, w] (0 keeps the batch dimension).</summary>
internal sealed class UnflattenExporter : ModuleExporter<Unflatten>
{
    protected override string Export(Unflatten module, string input, ExportContext context)
    {
        if (module.dim != 1)
        {
            throw new NotSupportedException($"ONNX export: {context.Path} unflattens dimension {module.dim}; only dimension 1 exports.");
        }

        var shape = context.Graph.Constant($"{context.Path}.shape", [0, .. module.unflattened_size]);
        return context.Node("Reshape", string.Empty, [input, shape]);
    }
}
