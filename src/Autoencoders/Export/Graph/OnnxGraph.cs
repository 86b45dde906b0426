using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Autoencoders.Export.Graph;

/// <summary>
/// Builds one ONNX graph node by node: every value is named by the module path that made it, weights
/// become initializers named like the module's state dictionary, and constants are initializers too.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>The operator set the exporter targets (ONNX 1.12; Gelu only arrives in opset 20, so it is composed).</summary>
    public const int Opset = 17;

    /// <summary>The IR version that goes with opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary>The symbolic name of the batch dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    private readonly GraphProto graph = new();
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    private readonly bool batchAxis;

    /// <summary>Starts a graph whose inputs and outputs have a leading batch axis, or none (one sample at a time).</summary>
    public OnnxGraph(string name, bool batchAxis = true)
    {
        graph.Name = name;
        this.batchAxis = batchAxis;
    }

    /// <summary>
    /// Declares a float input shaped [batch, ...sampleShape] and returns the name of the value to compute
    /// from: the input itself, or without a batch axis the input with a batch axis of one added.
    /// </summary>
    public string AddInput(string name, IReadOnlyList<long> sampleShape)
    {
        Claim(name);
        graph.Input.Add(ValueInfo(name, sampleShape, TensorProto.Types.DataType.Float));
        return batchAxis ? name : Node("Unsqueeze", $"{name}.batch", [name, Constant($"{name}.batch_axis", [0L])]);
    }

    /// <summary>Makes <paramref name="value"/> a graph output called <paramref name="name"/> shaped [batch, ...sampleShape].</summary>
    public void AddOutput(string value, string name, IReadOnlyList<long> sampleShape, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float)
    {
        Claim(name);
        if (batchAxis)
        {
            Node("Identity", name, [value], [name]);
        }
        else
        {
            Node("Squeeze", name, [value, Constant($"{name}.batch_axis", [0L])], [name]);
        }

        graph.Output.Add(ValueInfo(name, sampleShape, type));
    }

    /// <summary>Adds a node with one output, named uniquely after <paramref name="name"/>, and returns the output's name.</summary>
    public string Node(string op, string name, IReadOnlyList<string> inputs, params AttributeProto[] attributes)
    {
        var output = Unique(name);
        Node(op, output, inputs, [output], attributes);
        return output;
    }

    /// <summary>Adds a float tensor initializer (the tensor's values, as float32) and returns its name.</summary>
    public string Weight(string name, Tensor value)
    {
        using var scope = NewDisposeScope();
        var data = value.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return Constant(name, data.data<float>().ToArray(), data.shape);
    }

    /// <summary>Adds a float32 constant with the given shape (a scalar for an empty shape) and returns its name.</summary>
    public string Constant(string name, float[] values, IReadOnlyList<long> shape) =>
        Initializer(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), shape);

    /// <summary>Adds a float64 constant with the given shape and returns its name.</summary>
    public string Constant(string name, double[] values, IReadOnlyList<long> shape) =>
        Initializer(name, TensorProto.Types.DataType.Double, MemoryMarshal.AsBytes(values.AsSpan()), shape);

    /// <summary>Adds an int64 vector constant (shapes, axes, slice bounds) and returns its name.</summary>
    public string Constant(string name, long[] values) =>
        Initializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), [values.Length]);

    /// <summary>The finished model: this graph, opset 17 of the default domain, and the given metadata.</summary>
    public ModelProto ToModel(string docString, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Autoencoders",
            ProducerVersion = typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = docString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attribute(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private void Node(string op, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
    }

    private string Initializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> littleEndian, IReadOnlyList<long> shape)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX export writes tensors in the host's byte order, which must be little-endian.");
        }

        var tensor = new TensorProto { Name = Unique(name), DataType = (int)type, RawData = ByteString.CopyFrom(littleEndian) };
        tensor.Dims.AddRange(shape);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private ValueInfoProto ValueInfo(string name, IReadOnlyList<long> sampleShape, TensorProto.Types.DataType type)
    {
        var shape = new TensorShapeProto();
        if (batchAxis)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        }

        foreach (var size in sampleShape)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 1; !names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }

    private void Claim(string name)
    {
        if (!names.Add(name))
        {
            throw new ArgumentException($"The ONNX graph already has a value named '{name}'; choose distinct input and output names.");
        }
    }
}
