using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoders.MLNet;

/// <summary>Reads and checks the feature column an autoencoder is fitted on.</summary>
internal static class FeatureColumn
{
    /// <summary>Checks that the schema has the column, as a known-size vector of Single.</summary>
    public static void Check(SchemaShape schema, string name)
    {
        var found = schema.Where(c => c.Name == name).ToArray();
        if (found.Length == 0)
        {
            throw new ArgumentException($"The input has no column '{name}'. Concatenate the feature columns into it first (mlContext.Transforms.Concatenate).");
        }

        var column = found[^1];
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"Column '{name}' must be a known-size vector of Single; it is {column.Kind} of {column.ItemType}.");
        }
    }

    /// <summary>The column's values as rows, after checking its type.</summary>
    public static float[,] Read(IDataView data, string name)
    {
        var column = data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The input has no column '{name}'. Concatenate the feature columns into it first (mlContext.Transforms.Concatenate).");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType, IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"Column '{name}' must be a known-size vector of Single; it is {column.Type}.");
        }

        var width = vector.Size;
        var rows = new List<float[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var buffer = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            rows.Add(buffer.DenseValues().ToArray());
        }

        if (rows.Count == 0)
        {
            throw new ArgumentException("The input has no rows to fit on.");
        }

        var result = new float[rows.Count, width];
        for (var i = 0; i < rows.Count; i++)
        {
            Buffer.BlockCopy(rows[i], 0, result, i * width * sizeof(float), width * sizeof(float));
        }

        return result;
    }
}
