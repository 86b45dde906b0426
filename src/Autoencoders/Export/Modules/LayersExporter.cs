namespace Autoencoders.Export.Modules;

/// <summary>
/// A module whose whole computation is its one submodule "layers", a sequence that each layer's own exporter
/// writes: <see cref="Model.ConvolutionalDecoder"/> and <see cref="Model.Convolutional1dDecoder"/> (linear,
/// activation, unflatten, transposed convolutions, crops, norms, activations).
/// </summary>
internal sealed class LayersExporter<TModule> : ModuleExporter<TModule>
    where TModule : TorchSharp.torch.nn.Module
{
    protected override string Export(TModule module, string input, ExportContext context)
    {
        context.RequireChildren(module, "layers");
        return context.Child(module, "layers", input);
    }
}
