namespace OrderKit.Allocation;

/// <summary>What a <see cref="AllocationStrategy.Custom"/> strategy sees: the request and the candidate locations.</summary>
/// <remarks>Thread safety: valid only during the call that receives it; do not keep it.</remarks>
public sealed class AllocationContext
{
    internal AllocationContext(AllocationRequest request, IReadOnlyList<LocationCandidate> candidates)
    {
        Request = request;
        Candidates = candidates;
    }

    /// <summary>Gets the request being planned.</summary>
    public AllocationRequest Request { get; }

    /// <summary>Gets the locations that passed the filters (active, ship to the destination, serve the channel), by rank.</summary>
    public IReadOnlyList<LocationCandidate> Candidates { get; }
}
