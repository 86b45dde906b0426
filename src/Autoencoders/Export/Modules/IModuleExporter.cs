using static TorchSharp.torch;

namespace Autoencoders.Export.Modules;

/// <summary>
/// Writes the ONNX nodes of one kind of module (one TorchSharp module type). A new backbone or layer
/// exports once a class for its module type exists and is listed in <see cref="ModuleExporters"/>.
/// </summary>
internal interface IModuleExporter
{
    /// <summary>The exact module type this exporter handles (subclasses are not matched).</summary>
    Type ModuleType { get; }

    /// <summary>Adds the module's nodes reading <paramref name="input"/> and returns the name of its output.</summary>
    string Export(nn.Module module, string input, ExportContext context);
}

/// <summary>The typed base of every exporter.</summary>
internal abstract class ModuleExporter<TModule> : IModuleExporter
    where TModule : nn.Module
{
    public Type ModuleType => typeof(TModule);

    public string Export(nn.Module module, string input, ExportContext context) => Export((TModule)module, input, context);

    protected abstract string Export(TModule module, string input, ExportContext context);
}
