namespace OrderKit.Orders;

/// <summary>Why an order is held.</summary>
public enum HoldReason
{
    /// <summary>The order is under review for fraud.</summary>
    FraudReview = 0,

    /// <summary>The payment needs attention before fulfillment.</summary>
    Payment = 1,

    /// <summary>The shipping address must be checked.</summary>
    AddressCheck = 2,

    /// <summary>Stock is short and the shop chose to wait rather than ship part of the order.</summary>
    OutOfStock = 3,

    /// <summary>The customer asked for fulfillment at a later date.</summary>
    ScheduledDate = 4,

    /// <summary>Another reason, given in the hold's note.</summary>
    Custom = 5,
}
