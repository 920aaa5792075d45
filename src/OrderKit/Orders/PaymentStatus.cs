namespace OrderKit.Orders;

/// <summary>Where the order's payment stands: an axis of its own beside the order status.</summary>
/// <remarks>
/// <para>The moves are: <see cref="Pending"/> or <see cref="Failed"/> to <see cref="Authorized"/> when the order is
/// confirmed; <see cref="Pending"/> to <see cref="Failed"/>; captures move <see cref="Authorized"/> through
/// <see cref="PartiallyCaptured"/> to <see cref="Captured"/> once the captured amount reaches the authorized one;
/// voiding releases what is not captured (<see cref="Authorized"/> to <see cref="Voided"/>, or
/// <see cref="PartiallyCaptured"/> to <see cref="Captured"/>); refunds move <see cref="Captured"/> through
/// <see cref="PartiallyRefunded"/> to <see cref="Refunded"/> once everything captured has been refunded.</para>
/// </remarks>
public enum PaymentStatus
{
    /// <summary>No payment has been verified yet.</summary>
    Pending = 0,

    /// <summary>The amount is authorized and nothing is captured yet.</summary>
    Authorized = 1,

    /// <summary>Part of the authorized amount is captured.</summary>
    PartiallyCaptured = 2,

    /// <summary>Everything authorized (and not voided) is captured.</summary>
    Captured = 3,

    /// <summary>Part of the captured amount is refunded.</summary>
    PartiallyRefunded = 4,

    /// <summary>Everything captured is refunded.</summary>
    Refunded = 5,

    /// <summary>The authorization was released without any capture.</summary>
    Voided = 6,

    /// <summary>The payment failed; the order can still be confirmed with a new authorization.</summary>
    Failed = 7,
}
