namespace Autoencoders.Model;

/// <summary>Reconstruction errors per sample and per feature, in the model's (scaled) space.</summary>
public partial class Autoencoder
{
    /// <summary>
    /// The squared reconstruction error of every feature of every sample, measured after scaling (so
    /// features in large units do not dominate), one flattened row per sample.
    /// </summary>
    public float[,] FeatureErrors(Data.DataSource data) => arrays.FeatureErrors(data);

    /// <summary>The mean squared reconstruction error per feature of each sample, measured after scaling.</summary>
    public double[] ReconstructionErrors(Data.DataSource data)
    {
        var errors = FeatureErrors(data);
        var result = new double[errors.GetLength(0)];
        for (var i = 0; i < result.Length; i++)
        {
            double sum = 0;
            for (var j = 0; j < FeatureCount; j++)
            {
                sum += errors[i, j];
            }

            result[i] = sum / FeatureCount;
        }

        return result;
    }
}
