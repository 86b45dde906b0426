using TorchSharp.Modules;

namespace Autoencoders.Export.Modules;

/// <summary>A sequence of modules: each one's exporter in order, by the names they were appended under.</summary>
internal sealed class SequentialExporter : ModuleExporter<Sequential>
{
    protected override string Export(Sequential module, string input, ExportContext context)
    {
        var value = input;
        foreach (var name in ExportContext.ChildNames(module))
        {
            value = context.Child(module, name, value);
        }

        return value;
    }
}
