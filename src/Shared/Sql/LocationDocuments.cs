using System.Collections.Concurrent;
using OrderKit.Inventory;

namespace OrderKit.Persistence.Sql;

/// <summary>
/// The stock locations read last, each with the document it was read from: a unit of work that reads the same document
/// again gets the same (immutable) location without parsing it. A changed document is parsed and replaces the entry.
/// </summary>
internal sealed class LocationDocuments
{
    private readonly ConcurrentDictionary<string, (string Document, StockLocation Location)> _read = new(StringComparer.Ordinal);

    public StockLocation Read(string id, string document)
    {
        if (_read.TryGetValue(id, out (string Document, StockLocation Location) known) && string.Equals(known.Document, document, StringComparison.Ordinal))
        {
            return known.Location;
        }

        StockLocation location = OrderKitJson.DeserializeLocation(document, "stock location " + id);
        _read[id] = (document, location);
        return location;
    }
}
