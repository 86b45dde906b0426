namespace Autoencoders.Linear;

/// <summary>Rows of a data matrix, copied block by block into a feature-major double buffer.</summary>
internal interface IRowSource
{
    int Rows { get; }

    int Columns { get; }

    /// <summary>Copies rows start..start+length−1 so that feature f, row r lands at buffer[f·stride + r].</summary>
    void CopyBlock(int start, int length, double[] buffer, int stride);
}
