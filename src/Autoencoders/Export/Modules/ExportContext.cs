using Autoencoders.Export.Graph;
using Autoencoders.Model;
using static TorchSharp.torch;

namespace Autoencoders.Export.Modules;

/// <summary>
/// What an exporter sees while it writes one module: the graph, the model being exported, and the path of
/// the module inside it (its state-dictionary prefix, which names the module's weights and nodes).
/// </summary>
internal sealed class ExportContext
{
    private ExportContext(OnnxGraph graph, Autoencoder model, string path)
    {
        Graph = graph;
        Model = model;
        Path = path;
    }

    public OnnxGraph Graph { get; }

    /// <summary>The model being exported (its spec holds settings some modules do not keep, such as a VAE's clamps).</summary>
    public Autoencoder Model { get; }

    /// <summary>The module's path, e.g. <c>encoder.layers.conv0</c>.</summary>
    public string Path { get; }

    /// <summary>Exports <paramref name="module"/>, found at <paramref name="path"/> in <paramref name="model"/>.</summary>
    public static string Export(OnnxGraph graph, Autoencoder model, string path, nn.Module module, string input) =>
        ModuleExporters.For(module, path).Export(module, input, new ExportContext(graph, model, path));

    /// <summary>A context for writing extra nodes of the module at <paramref name="path"/> (a VAE's log-variance head).</summary>
    public static ExportContext ForModule(OnnxGraph graph, Autoencoder model, string path) => new(graph, model, path);

    /// <summary>Exports a registered submodule of the current module by its name.</summary>
    public string Child(nn.Module parent, string name, string input) =>
        Export(Graph, Model, $"{Path}.{name}", RequireChild(parent, name), input);

    /// <summary>The names of the current module's registered submodules, in registration order.</summary>
    public static IReadOnlyList<string> ChildNames(nn.Module module) =>
        module.named_children().Select(c => c.name).ToArray();

    /// <summary>Refuses a module whose registered submodules are not exactly the ones its exporter writes.</summary>
    public void RequireChildren(nn.Module module, params string[] expected)
    {
        var found = ChildNames(module);
        if (!found.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)))
        {
            throw new NotSupportedException(
                $"ONNX export: {Path} ({module.GetType().Name}) has submodules [{string.Join(", ", found)}] but its exporter writes [{string.Join(", ", expected)}]; " +
                "the exporter and the module have drifted apart, so the graph would not compute what the module does.");
        }
    }

    /// <summary>A node named after the current module's path (plus <paramref name="suffix"/>).</summary>
    public string Node(string op, string suffix, IReadOnlyList<string> inputs, params Onnx.AttributeProto[] attributes) =>
        Graph.Node(op, suffix.Length == 0 ? Path : $"{Path}.{suffix}", inputs, attributes);

    /// <summary>An initializer named after the current module's path and the parameter's name.</summary>
    public string Weight(string name, TorchSharp.torch.Tensor value) => Graph.Weight($"{Path}.{name}", value);

    private nn.Module RequireChild(nn.Module parent, string name) =>
        parent.named_children().FirstOrDefault(c => c.name == name).module
        ?? throw new NotSupportedException($"ONNX export: {Path} ({parent.GetType().Name}) has no submodule '{name}'.");
}
