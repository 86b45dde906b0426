using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoders.MLNet;

/// <summary>
/// The input schema plus the columns an estimator adds. ML.NET keeps the constructors of
/// <see cref="SchemaShape.Column"/> internal, so the added columns are described as a class
/// (with a <see cref="SchemaDefinition"/> for sizes known only at run time) and read back from a
/// no-op custom mapping's output schema, which is public.
/// </summary>
internal static class OutputSchema
{
    public static SchemaShape Add<TColumns>(SchemaShape input, Action<SchemaDefinition>? adjust = null)
        where TColumns : class, new()
    {
        var definition = SchemaDefinition.Create(typeof(TColumns));
        adjust?.Invoke(definition);
        var added = new MLContext().Transforms.CustomMapping<NoColumns, TColumns>((_, _) => { }, contractName: null, outputSchemaDefinition: definition)
            .GetOutputSchema(new SchemaShape([]));
        var names = added.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(added));
    }

    /// <summary>A row with no columns (the custom mapping reads nothing).</summary>
    internal sealed class NoColumns;
}

/// <summary>The column the encoder adds (renamed and sized through the schema definition).</summary>
internal sealed class CodeColumn
{
    public float[] Code { get; set; } = [];
}
