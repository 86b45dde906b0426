using Autoencoders.Model;

namespace Autoencoders.Persistence;

/// <summary>
/// <c>model.Save(path)</c> and <c>Autoencoder.Load(path)</c>: one file holding the spec, the scaler and
/// the weights (see <see cref="ModelFileInfo"/> to look inside one without loading it).
/// </summary>
/// <example>
/// <code>
/// using Autoencoders.Persistence;
///
/// model.Save("fashion.aemodel");
/// using var again = Autoencoder.Load("fashion.aemodel");
/// using var onGpu = Autoencoder.Load("fashion.aemodel", torch.CUDA);   // with a CUDA backend referenced
/// </code>
/// </example>
public static class AutoencoderFiles
{
    extension(Autoencoder model)
    {
        /// <summary>
        /// Saves the spec, the scaler and the weights to one file, atomically: a crash leaves either the
        /// old file or the new one. The file is a safetensors file (readable by other tools) with the spec
        /// and a checksum in its metadata; it contains no code. The weights are stored as CPU bytes whatever
        /// device the model is on, so a file written on one device loads on any other.
        /// </summary>
        /// <param name="path">The file to write; its folder must exist.</param>
        public void Save(string path) => ModelFile.Write(path, new ModelFileContents(model));

        /// <summary>
        /// Loads a model written by <c>Save</c> (or by an application: a reducer, a detector, a checkpoint).
        /// The format, version, checksum, spec and every tensor's name, type and shape are checked before
        /// the model is built or any weight is read. The file does not record a device: the model goes where
        /// <paramref name="device"/> says, whichever device it was saved from.
        /// </summary>
        /// <param name="path">The model file.</param>
        /// <param name="device">The device of the loaded model: the CPU when null, or a CUDA device when the application references a CUDA backend.</param>
        /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
        /// <exception cref="ModelFileException">The file is not a model file, is corrupt, truncated or of an unsupported version.</exception>
        /// <exception cref="ArgumentException">The device is the meta device (use <see cref="ModelFileInfo"/> to look inside a file without loading it) or of an unsupported type.</exception>
        /// <exception cref="InvalidOperationException">CUDA was requested and this process has no CUDA backend or no such device.</exception>
        public static Autoencoder Load(string path, TorchSharp.torch.Device? device = null) => ModelFile.Read(path, device).Model;
    }
}
