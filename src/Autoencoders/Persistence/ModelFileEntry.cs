namespace Autoencoders.Persistence;

/// <summary>A tensor entry of a checked model file header: its type, shape and byte range in the data section.</summary>
internal sealed record ModelFileEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    public ModelFileTensor ToPublic() => new(Name, DType, Shape);
}
