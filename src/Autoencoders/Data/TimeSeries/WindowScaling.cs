namespace Autoencoders.Data;

/// <summary>
/// Per-channel scaling of windows shaped [channels, length]: a scaler fitted on the time steps of the sensor channels (one
/// feature per channel) spread over every step of a window, with the calendar channels left as they are (offset 0, scale 1).
/// The result is an ordinary per-feature <see cref="Scaler"/>, so a model carries it and saves it like any other.
/// </summary>
internal static class WindowScaling
{
    /// <summary>The window scaler for <paramref name="channels"/> (one feature per sensor channel) followed by
    /// <paramref name="extraChannels"/> unscaled channels, over windows of <paramref name="length"/> steps.</summary>
    public static Scaler Expand(Scaler channels, int extraChannels, int length)
    {
        var total = channels.FeatureCount + extraChannels;
        var offset = new float[total * length];
        var scale = new float[total * length];
        for (var c = 0; c < total; c++)
        {
            var (o, s) = c < channels.FeatureCount ? (channels.Offset[c], channels.Scale[c]) : (0f, 1f);
            Array.Fill(offset, o, c * length, length);
            Array.Fill(scale, s, c * length, length);
        }

        return Scaler.FromParameters(channels.Kind, offset, scale);
    }

    /// <summary>The sensor channels' scaler inside a window scaler made by <see cref="Expand"/>.</summary>
    public static Scaler Channels(Scaler windows, int channels, int length)
    {
        var offset = new float[channels];
        var scale = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            offset[c] = windows.Offset[c * length];
            scale[c] = windows.Scale[c * length];
        }

        return Scaler.FromParameters(windows.Kind, offset, scale);
    }
}
