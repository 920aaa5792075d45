namespace OrderKit.Orders;

/// <summary>The actions that can be taken on an order; a set of them answers "what may I do now?".</summary>
/// <remarks>
/// <para><see cref="Order.AllowedActions"/> returns the actions permitted in the order's current state as a set of
/// flags, for example to show the right buttons in a back office. An action outside that set throws
/// <see cref="InvalidOrderTransitionException"/> and changes nothing. An action in it can still be refused for its
/// arguments (shipping more units than are allocated, say) with an <see cref="ArgumentException"/>.</para>
/// </remarks>
[Flags]
public enum OrderActions
{
    /// <summary>No action.</summary>
    None = 0,

    /// <summary>Confirm the order with a verified payment (<see cref="Order.Confirm"/>).</summary>
    Confirm = 1 << 0,

    /// <summary>Allocate stock to units awaiting it, or backorder them (<see cref="Order.Allocate"/>).</summary>
    Allocate = 1 << 1,

    /// <summary>Take stock away from allocated units, such as after a short pick (<see cref="Order.Deallocate"/>).</summary>
    Deallocate = 1 << 2,

    /// <summary>Record allocated units as shipped (<see cref="Order.Ship"/>).</summary>
    Ship = 1 << 3,

    /// <summary>Record shipped units as delivered (<see cref="Order.Deliver"/>).</summary>
    Deliver = 1 << 4,

    /// <summary>Close a delivered order (<see cref="Order.Complete"/>).</summary>
    Complete = 1 << 5,

    /// <summary>Cancel the whole order (<see cref="Order.Cancel"/>).</summary>
    Cancel = 1 << 6,

    /// <summary>Cancel part of a line's open quantity (<see cref="Order.CancelLine"/>).</summary>
    CancelLine = 1 << 7,

    /// <summary>Place a hold (<see cref="Order.Hold"/>).</summary>
    Hold = 1 << 8,

    /// <summary>Release an active hold (<see cref="Order.ReleaseHold"/>).</summary>
    ReleaseHold = 1 << 9,

    /// <summary>Record a failed payment (<see cref="Order.FailPayment"/>).</summary>
    FailPayment = 1 << 10,

    /// <summary>Capture authorized money (<see cref="Order.CapturePayment"/>).</summary>
    CapturePayment = 1 << 11,

    /// <summary>Release the uncaptured authorization (<see cref="Order.VoidPayment"/>).</summary>
    VoidPayment = 1 << 12,

    /// <summary>Refund captured money (<see cref="Order.RefundPayment"/>).</summary>
    RefundPayment = 1 << 13,
}
