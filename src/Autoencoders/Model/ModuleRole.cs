namespace Autoencoders.Model;

/// <summary>Which side of the model a registered module builds.</summary>
internal enum ModuleRole
{
    Encoder,
    Decoder,
}
