namespace Autoencoders.Applications;

/// <summary>The last <see cref="Capacity"/> values of a stream, oldest first, stored as they come: memory grows with the
/// values seen up to the capacity, never beyond (a capacity read from a file allocates nothing up front).</summary>
internal sealed class SlidingRing<T>(int capacity)
{
    private readonly List<T> _items = new(Math.Min(capacity, 1024));
    private int _oldest;

    public int Capacity { get; } = capacity;

    public int Count => _items.Count;

    public bool IsFull => _items.Count == Capacity;

    /// <summary>The value at <paramref name="index"/>, 0 being the oldest.</summary>
    public T this[int index] => _items[(_oldest + index) % _items.Count];

    /// <summary>Adds a value; when full, the oldest one leaves and is returned.</summary>
    public (bool Evicted, T Oldest) Add(T item)
    {
        if (_items.Count < Capacity)
        {
            _items.Add(item);
            return (false, default!);
        }

        var evicted = _items[_oldest];
        _items[_oldest] = item;
        _oldest = (_oldest + 1) % Capacity;
        return (true, evicted);
    }

    /// <summary>Forgets every value.</summary>
    public void Clear()
    {
        _items.Clear();
        _oldest = 0;
    }
}
