using System.Collections.Concurrent;
using OrderKit.Inventory;

namespace OrderKit.Persistence.Sql;

/// <summary>
/// The inventory policies read last, each with the document it was read from: a unit of work that reads the same
/// document again gets the same (immutable) policy without parsing it. A changed document is parsed and replaces the
/// entry, so a policy changed by another node is seen at the next read.
/// </summary>
internal sealed class PolicyDocuments
{
    // Bounded so that a catalogue of many SKUs cannot grow it without end; past the bound, policies are parsed each time.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (string Document, InventoryPolicy Policy)> _read = new(StringComparer.Ordinal);

    public InventoryPolicy Read(Sku sku, string document)
    {
        if (_read.TryGetValue(sku.Value, out (string Document, InventoryPolicy Policy) known) && string.Equals(known.Document, document, StringComparison.Ordinal))
        {
            return known.Policy;
        }

        InventoryPolicy policy = OrderKitJson.DeserializePolicy(document, $"the policy of {sku}");
        if (_read.Count < MaxEntries || _read.ContainsKey(sku.Value))
        {
            _read[sku.Value] = (document, policy);
        }

        return policy;
    }
}
