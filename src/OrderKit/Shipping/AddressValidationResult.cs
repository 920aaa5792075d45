namespace OrderKit.Shipping;

/// <summary>What a carrier says about an address: whether it can deliver there, and what it would correct.</summary>
/// <param name="IsDeliverable">Whether the carrier can deliver to the address as given (or as suggested).</param>
/// <param name="Suggested">The address as the carrier would write it, when it differs; null otherwise.</param>
/// <param name="Problems">What is wrong, in the carrier's words; empty when nothing is.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record AddressValidationResult(bool IsDeliverable, Address? Suggested, IReadOnlyList<string> Problems)
{
    /// <summary>Returns whether it is deliverable and the problems, such as <c>not deliverable: unknown street</c>.</summary>
    /// <returns>The result as text.</returns>
    public override string ToString() => (IsDeliverable ? "deliverable" : "not deliverable") + (Problems.Count == 0 ? string.Empty : ": " + string.Join("; ", Problems));
}
