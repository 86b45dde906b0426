using Autoencoders.Data;
using Autoencoders.Model;

namespace Autoencoders.Applications;

/// <summary>
/// Evaluates windows in blocks of exactly <see cref="BlockSize"/> rows, each window in the row its index gives it
/// (window i in row i mod <see cref="BlockSize"/>). libtorch's result for a sample depends on the batch's shape and on the
/// memory alignment of its row (a row of 18 floats starts 8 bytes off a 16-byte boundary every other row), not on the
/// other rows: with one block shape and one row per window index, a window's errors are the same bits whether it came
/// alone from a stream or with others from a whole series. One scorer per stream: not thread-safe.
/// </summary>
internal sealed class WindowScorer
{
    public const int BlockSize = 32;

    private readonly IReadOnlyList<Autoencoder> _models;
    private readonly float[,] _block;
    private readonly long[] _shape;

    public WindowScorer(IReadOnlyList<Autoencoder> models, int inputChannels, int length)
    {
        _models = models;
        InputChannels = inputChannels;
        Length = length;
        _block = new float[BlockSize, inputChannels * length];
        _shape = [inputChannels, length];
    }

    public int InputChannels { get; }

    public int Length { get; }

    /// <summary>The row of window <paramref name="index"/>.</summary>
    public static int Row(int index) => index % BlockSize;

    /// <summary>Puts window <paramref name="index"/>, the steps [start, start + Length) of <paramref name="rows"/>
    /// ([time, input channels]), in its row.</summary>
    public void Put(int index, float[,] rows, int start) => SeriesWindows.CopyWindow(rows, start, Length, _block, Row(index));

    /// <summary>Puts window <paramref name="index"/>, held in a ring buffer whose oldest row is <paramref name="oldest"/>, in
    /// its row.</summary>
    public void PutFromRing(int index, float[,] ring, int oldest)
    {
        var row = Row(index);
        for (var c = 0; c < InputChannels; c++)
        {
            for (var t = 0; t < Length; t++)
            {
                _block[row, (c * Length) + t] = ring[(oldest + t) % Length, c];
            }
        }
    }

    /// <summary>Evaluates the block: the squared error of every feature of every row ([BlockSize, channels·length],
    /// channel-major), after scaling, averaged over the models in order. Rows that hold no current window hold earlier ones;
    /// callers read only their own.</summary>
    public float[,] Evaluate()
    {
        using var data = InMemoryDataset.FromArray(_block, _shape);
        var errors = _models[0].FeatureErrors(data);
        if (_models.Count == 1)
        {
            return errors;
        }

        for (var m = 1; m < _models.Count; m++)
        {
            var more = _models[m].FeatureErrors(data);
            for (var i = 0; i < errors.GetLength(0); i++)
            {
                for (var j = 0; j < errors.GetLength(1); j++)
                {
                    errors[i, j] += more[i, j];
                }
            }
        }

        for (var i = 0; i < errors.GetLength(0); i++)
        {
            for (var j = 0; j < errors.GetLength(1); j++)
            {
                errors[i, j] /= _models.Count;
            }
        }

        return errors;
    }
}
