using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary><see cref="DeterministicBottleneck"/>: the code layer, then the code activation.</summary>
internal sealed class DeterministicBottleneckExporter : ModuleExporter<DeterministicBottleneck>
{
    protected override string Export(DeterministicBottleneck module, string input, ExportContext context)
    {
        context.RequireChildren(module, "code", "activation");
        return context.Child(module, "activation", context.Child(module, "code", input));
    }
}
