namespace OrderKit.Returns;

/// <summary>Where a return request stands; see <c>docs/returns.md</c> for the whole lifecycle.</summary>
public enum ReturnStatus
{
    /// <summary>The customer asked; the shop has not decided.</summary>
    Requested = 0,

    /// <summary>The shop accepted the return; the customer may send the units.</summary>
    Authorized = 1,

    /// <summary>The units are on their way back, with a return label.</summary>
    InTransit = 2,

    /// <summary>The units arrived, each with its disposition (restocked, quarantined or disposed of).</summary>
    Received = 3,

    /// <summary>The units were inspected.</summary>
    Inspected = 4,

    /// <summary>The customer was made whole: refunded or given store credit.</summary>
    Resolved = 5,

    /// <summary>Nothing more is expected.</summary>
    Closed = 6,

    /// <summary>The shop refused the return.</summary>
    Rejected = 7,

    /// <summary>The return was withdrawn before anything arrived.</summary>
    Cancelled = 8,
}
