using Autoencoders.Export.Graph;
using TorchSharp.Modules;

namespace Autoencoders.Export.Modules;

/// <summary>
/// A 1-D or 2-D transposed convolution as one ConvTranspose node. ONNX and PyTorch agree on the output
/// size, (n − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1.
/// </summary>
internal sealed class ConvolutionTransposeExporter<TConvolution> : ModuleExporter<TConvolution>
    where TConvolution : ConvolutionTranspose
{
    protected override string Export(TConvolution module, string input, ExportContext context)
    {
        var inputs = ConvolutionAttributes.Inputs(module, input, context);
        var outputPadding = ConvolutionAttributes.PerAxis(module.output_padding, ConvolutionAttributes.SpatialAxes(module));
        return context.Node("ConvTranspose", string.Empty, inputs,
            [.. ConvolutionAttributes.Common(module, context), OnnxGraph.Attribute("output_padding", outputPadding)]);
    }
}
