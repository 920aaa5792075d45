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
internal sealed class ParsedDocuments<T>(Func<string, string, T> parse)
    where T : class
{
    // Bounded so that a catalogue of many SKUs cannot grow it without end; past the bound, new keys are parsed each time.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (string Document, T Value)> _read = new(StringComparer.Ordinal);

    public T Read(string key, string document)
    {
        if (_read.TryGetValue(key, out (string Document, T Value) known) && string.Equals(known.Document, document, StringComparison.Ordinal))
        {
            return known.Value;
        }

        T value = parse(key, document);
        if (_read.Count < MaxEntries || _read.ContainsKey(key))
        {
            _read[key] = (document, value);
        }

        return value;
    }
}
