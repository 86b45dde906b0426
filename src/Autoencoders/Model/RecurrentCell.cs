namespace Autoencoders.Model;

/// <summary>The recurrent unit of a <see cref="RecurrentBackboneSpec"/>.</summary>
public enum RecurrentCell
{
    /// <summary>Long short-term memory (Hochreiter &amp; Schmidhuber, 1997): input, forget and output gates and a cell state.</summary>
    Lstm,
    /// <summary>Gated recurrent unit (Cho et al., 2014): reset and update gates, no separate cell state; fewer weights than an LSTM.</summary>
    Gru,
}
