namespace OrderKit.Testing;

/// <summary>What <see cref="StoreConformance"/> may ask of a store beyond the contract every store keeps.</summary>
/// <remarks>Thread safety: immutable and thread-safe once built.</remarks>
public sealed record StoreConformanceOptions
{
    /// <summary>
    /// Gets whether one thread may keep two of the store's units of work open at once and interleave their steps (the
    /// in-memory store; SQLite in WAL mode, whose second unit of work reads beside the writer; PostgreSQL). When true,
    /// the checks of <see cref="StoreConformance.InterleavedCheckNames"/> run too: each opens two units of work, lets the
    /// second read, commits the first, and expects the second's dependent write to be refused. False by default, for a
    /// store whose units of work run one at a time (a second would wait for the first, on the same thread, for ever).
    /// </summary>
    public bool OverlappingUnitsOfWork { get; init; }
}
