using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Persistence;

/// <summary>The argument checks of the order repository's paged reads, shared by every store in this repository so they refuse alike.</summary>
internal static class StoreArguments
{
    /// <summary>Refuses a window that does not end after it starts, and an empty page.</summary>
    public static void EnsurePlacedWindow(Instant from, Instant to, int maxCount)
    {
        if (to <= from)
        {
            throw new ArgumentException($"The window must end after it starts; got {from} to {to}.", nameof(to));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
    }

    /// <summary>Refuses the default customer id, and an empty page.</summary>
    public static void EnsureCustomer(CustomerId customerId, int maxCount)
    {
        if (customerId.IsDefault)
        {
            throw new ArgumentException("A customer id is required.", nameof(customerId));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
    }

    /// <summary>Refuses a cursor that is another customer's order.</summary>
    public static void EnsureCursorOf(CustomerId customerId, OrderSnapshot? after)
    {
        if (after is not null && after.CustomerId != customerId)
        {
            throw new ArgumentException($"The page before must end with an order of customer {customerId}; order {after.Id} is customer {after.CustomerId}'s.", nameof(after));
        }
    }
}
