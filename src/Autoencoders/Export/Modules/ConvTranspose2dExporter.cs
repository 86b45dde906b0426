using Autoencoders.Export.Graph;
using TorchSharp.Modules;

namespace Autoencoders.Export.Modules;

/// <summary>
/// A 2-D transposed convolution as one ConvTranspose node. ONNX and PyTorch agree on the output size,
/// (n − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1.
/// </summary>
internal sealed class ConvTranspose2dExporter : ModuleExporter<ConvTranspose2d>
{
    protected override string Export(ConvTranspose2d module, string input, ExportContext context)
    {
        var inputs = ConvolutionAttributes.Inputs(module, input, context);
        var outputPadding = ConvolutionAttributes.PerAxis(module.output_padding, 2);
        return context.Node("ConvTranspose", string.Empty, inputs,
            [.. ConvolutionAttributes.Common(module, context), OnnxGraph.Attribute("output_padding", outputPadding)]);
    }
}
