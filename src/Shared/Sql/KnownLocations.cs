using System.Collections.Concurrent;

namespace OrderKit.Persistence.Sql;

/// <summary>The stock locations a store has seen committed; locations are never deleted, so a location seen once stays valid.</summary>
internal sealed class KnownLocations
{
    private readonly ConcurrentDictionary<LocationId, byte> _ids = new();

    public bool Contains(LocationId id) => _ids.ContainsKey(id);

    public void Add(LocationId id) => _ids.TryAdd(id, 0);
}
