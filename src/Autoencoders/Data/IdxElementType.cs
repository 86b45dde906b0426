namespace Autoencoders.Data;

/// <summary>The element type of an IDX file, as stored in the third byte of its magic number.</summary>
public enum IdxElementType : byte
{
    /// <summary>Unsigned 8-bit integer (type code 0x08), e.g. image pixels and labels.</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed 8-bit integer (type code 0x09).</summary>
    SignedByte = 0x09,

    /// <summary>Big-endian signed 16-bit integer (type code 0x0B).</summary>
    Int16 = 0x0B,

    /// <summary>Big-endian signed 32-bit integer (type code 0x0C).</summary>
    Int32 = 0x0C,

    /// <summary>Big-endian IEEE 754 single-precision float (type code 0x0D).</summary>
    Single = 0x0D,

    /// <summary>Big-endian IEEE 754 double-precision float (type code 0x0E).</summary>
    Double = 0x0E,
}
