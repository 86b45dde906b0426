using Autoencoders.Applications;
using Autoencoders.Export;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Autoencoders.MLNet;

/// <summary>
/// Fits an autoencoder and adds its code as a column; create it with
/// <see cref="AutoencoderCatalog.ProjectToAutoencoderCode"/>. <see cref="Fit"/> trains
/// <see cref="AutoencoderReducer"/> with TorchSharp, exports its encoder to ONNX and returns ML.NET's ONNX
/// transformer over it, so the fitted pipeline saves and loads with the graph inside.
/// </summary>
public sealed class AutoencoderEncodingEstimator : IEstimator<OnnxTransformer>
{
    private readonly string outputColumnName;
    private readonly string inputColumnName;
    private readonly ReducerOptions options;

    internal AutoencoderEncodingEstimator(string outputColumnName, string inputColumnName, ReducerOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        if (outputColumnName == inputColumnName)
        {
            // ONNX needs distinct input and output names; ML.NET would replace the column anyway.
            throw new ArgumentException($"The code column needs a name other than its input column '{inputColumnName}'.", nameof(outputColumnName));
        }

        this.outputColumnName = outputColumnName;
        this.inputColumnName = inputColumnName;
        this.options = options;
    }

    /// <summary>Trains the autoencoder on the input column and returns the ONNX transformer that encodes with it.</summary>
    public OnnxTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rows = FeatureColumn.Read(input, inputColumnName);
        byte[] onnx;
        using (var reducer = AutoencoderReducer.Fit(rows, options))
        {
            onnx = reducer.Model.ToOnnx(new OnnxExportOptions { BatchAxis = false, Part = OnnxPart.Encoder, InputName = inputColumnName, OutputNames = [outputColumnName] });
        }

        using var model = new MemoryStream(onnx, writable: false);
        return new MLContext().Transforms.ApplyOnnxModel([outputColumnName], [inputColumnName], model).Fit(input);
    }

    /// <summary>The input schema plus the code column, a vector of Single of the code's size.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        FeatureColumn.Check(inputSchema, inputColumnName);
        return OutputSchema.Add<CodeColumn>(inputSchema, definition =>
        {
            var code = definition[nameof(CodeColumn.Code)];
            code.ColumnName = outputColumnName;
            code.ColumnType = new VectorDataViewType(NumberDataViewType.Single, options.Components);
        });
    }
}
