namespace OrderKit.Returns;

/// <summary>Why a customer is made good without sending anything back.</summary>
public enum ClaimKind
{
    /// <summary>A gesture of goodwill, for any reason the shop accepts.</summary>
    Goodwill = 0,

    /// <summary>A shipment never arrived (a carrier's exception or return to sender, or the customer's report).</summary>
    LostInTransit = 1,

    /// <summary>A shipment arrived damaged, and the units are not worth sending back.</summary>
    DamagedInTransit = 2,
}
