using Autoencoders.Model;
using static TorchSharp.torch;

namespace Autoencoders.Persistence;

/// <summary>
/// A set of tensors shaped like a model's state dict (a checkpoint's best weights so far), stored as an
/// application's byte blobs named <c>prefix + state dict key</c>.
/// </summary>
internal static class StateBlobs
{
    /// <summary>The blobs of <paramref name="state"/>, by name.</summary>
    public static IEnumerable<KeyValuePair<string, byte[]>> Of(string prefix, IReadOnlyDictionary<string, Tensor> state) =>
        state.Select(kv => KeyValuePair.Create(prefix + kv.Key, TensorBytes.Of(kv.Value)));

    /// <summary>
    /// The tensors stored under <paramref name="prefix"/>, shaped like <paramref name="model"/>'s state,
    /// or null when the file has none. Outside any dispose scope: the caller owns them.
    /// </summary>
    /// <exception cref="ModelFileException">Some are missing, extra, or of the wrong size.</exception>
    public static Dictionary<string, Tensor>? Read(string path, string prefix, IReadOnlyDictionary<string, byte[]> blobs, Autoencoder model)
    {
        var stored = blobs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        if (stored.Count == 0)
        {
            return null;
        }

        var state = model.state_dict();
        if (!stored.SetEquals(state.Keys.Select(k => prefix + k)))
        {
            throw new ModelFileException(Path.GetFullPath(path), $"the tensors stored as '{prefix}*' are not the model's state: they name other tensors.");
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, tensor) in state)
            {
                try
                {
                    result[name] = TensorBytes.ToTensor(blobs[prefix + name], tensor.dtype, tensor.shape).DetachFromDisposeScope();
                }
                catch (ArgumentException e)
                {
                    throw new ModelFileException(Path.GetFullPath(path), $"the stored tensor '{prefix}{name}' does not fit the model: {e.Message}", e);
                }
            }

            return result;
        }
        catch
        {
            foreach (var tensor in result.Values)
            {
                tensor.Dispose();
            }

            throw;
        }
    }
}
