using System.Collections.Concurrent;

namespace OrderKit.Persistence.Sql;

/// <summary>
/// Values read last from stored documents (stock locations, inventory policies), each kept with the document it was
/// parsed from and its key: a unit of work that reads the same document again gets the same immutable value without
/// parsing it. A changed document is parsed and replaces the entry, so a change made by another node is seen at the
/// next read.
/// </summary>
/// <typeparam name="T">The immutable value a document holds.</typeparam>
/// <param name="parse">Parses a document, given its key and text; throws <see cref="StoredDataException"/> for a corrupt one.</param>
/// <param name="maxEntries">The most keys kept, so that a catalogue of many SKUs cannot grow it without end; past it, new keys are parsed at each read.</param>
internal sealed class ParsedDocuments<T>(Func<string, string, T> parse, int maxEntries = 100_000)
    where T : class
{
    private readonly ConcurrentDictionary<string, (string Document, T Value)> _read = new(StringComparer.Ordinal);

    // The keys added so far: ConcurrentDictionary.Count would take every lock of the dictionary on each miss.
    private int _count;

    public T Read(string key, string document)
    {
        bool kept = _read.TryGetValue(key, out (string Document, T Value) known);
        if (kept && string.Equals(known.Document, document, StringComparison.Ordinal))
        {
            return known.Value;
        }

        T value = parse(key, document);
        if (kept)
        {
            _read[key] = (document, value);
        }
        else if (Volatile.Read(ref _count) < maxEntries && _read.TryAdd(key, (document, value)))
        {
            Interlocked.Increment(ref _count);
        }

        return value;
    }
}
