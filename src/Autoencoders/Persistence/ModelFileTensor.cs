namespace Autoencoders.Persistence;

/// <summary>One tensor of a model file, as its header describes it.</summary>
/// <param name="Name">The tensor's name: a state dict key of the model (e.g. <c>encoder.layers.linear0.weight</c>),
/// <c>scaler.offset</c>/<c>scaler.scale</c>, or an application's <c>app.</c> vector or blob.</param>
/// <param name="DType">The safetensors type: <c>F32</c>, <c>I64</c> or <c>U8</c>.</param>
/// <param name="Shape">The tensor's shape.</param>
public sealed record ModelFileTensor(string Name, string DType, IReadOnlyList<long> Shape);
