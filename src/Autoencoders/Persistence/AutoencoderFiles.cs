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
/// </code>
/// </example>
public static class AutoencoderFiles
{
    extension(Autoencoder model)
    {
        /// <summary>
        /// Saves the spec, the scaler and the weights to one file, atomically: a crash leaves either the
        /// old file or the new one. The file is a safetensors file (readable by other tools) with the spec
        /// and a checksum in its metadata; it contains no code.
        /// </summary>
        /// <param name="path">The file to write; its folder must exist.</param>
        public void Save(string path) => ModelFile.Write(path, new ModelFileContents(model));

        /// <summary>
        /// Loads a model written by <c>Save</c> (or by an application: a reducer, a detector, a checkpoint).
        /// The format, version, checksum, spec and every tensor's name, type and shape are checked before
        /// the model is built or any weight is read.
        /// </summary>
        /// <param name="path">The model file.</param>
        /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
        /// <exception cref="ModelFileException">The file is not a model file, is corrupt, truncated or of an unsupported version.</exception>
        public static Autoencoder Load(string path) => ModelFile.Read(path).Model;
    }
}
