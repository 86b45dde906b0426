using TorchSharp.Modules;

namespace Autoencoders.Export.Modules;

/// <summary>A 1-D or 2-D convolution as one Conv node (zero padding only, as the library builds them).</summary>
internal sealed class ConvolutionExporter<TConvolution> : ModuleExporter<TConvolution>
    where TConvolution : Convolution
{
    protected override string Export(TConvolution module, string input, ExportContext context)
    {
        return context.Node("Conv", string.Empty, ConvolutionAttributes.Inputs(module, input, context), ConvolutionAttributes.Common(module, context));
    }
}
