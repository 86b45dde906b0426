using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Autoencoders.Tests.Export;

/// <summary>Runs an exported graph in ONNX Runtime on rows of the user's data.</summary>
internal sealed class OnnxRunner : IDisposable
{
    private readonly InferenceSession session;

    public OnnxRunner(byte[] model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        session = new InferenceSession(model, options);
    }

    public IReadOnlyList<string> InputNames => session.InputNames;

    public IReadOnlyList<string> OutputNames => session.OutputNames;

    public IReadOnlyDictionary<string, string> Metadata => session.ModelMetadata.CustomMetadataMap;

    /// <summary>Runs the graph on <paramref name="rows"/> reshaped to [rows, ...sampleShape]; each output flattened.</summary>
    public Dictionary<string, Array> Run(float[,] rows, IReadOnlyList<int> sampleShape)
    {
        var flat = new float[rows.Length];
        Buffer.BlockCopy(rows, 0, flat, 0, flat.Length * sizeof(float));
        long[] shape = [rows.GetLength(0), .. sampleShape.Select(d => (long)d)];
        using var input = OrtValue.CreateTensorValueFromMemory(flat, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], session.OutputNames);
        var result = new Dictionary<string, Array>();
        for (var i = 0; i < outputs.Count; i++)
        {
            var value = outputs[i];
            result[session.OutputNames[i]] = value.GetTensorTypeAndShape().ElementDataType == TensorElementType.Bool
                ? value.GetTensorDataAsSpan<bool>().ToArray()
                : value.GetTensorDataAsSpan<float>().ToArray();
        }

        return result;
    }

    public void Dispose() => session.Dispose();
}
