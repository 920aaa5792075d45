using OrderKit.Orders;

namespace OrderKit.Tests.Orders;

/// <summary>One step of a random run against an order.</summary>
public sealed record OrderCommand(string Kind, int Line, int A, int B)
{
    public const int All = 4;

    public override string ToString() => $"{Kind}(line {Line}, {A}, {B})";
}

/// <summary>
/// An independent model of the order lifecycle, written from the rules in docs/lifecycle.md without looking at the
/// order's code: quantities per line, holds, the payment axis, and the status they lead to.
/// </summary>
internal sealed class OrderModel
{
    public OrderModel(int[] ordered, decimal unitPrice)
    {
        Ordered = ordered;
        int n = ordered.Length;
        Cancelled = new int[n];
        Allocated = new int[n];
        Backordered = new int[n];
        Shipped = new int[n];
        Delivered = new int[n];
        Total = ordered.Sum() * unitPrice;
    }

    public int[] Ordered { get; }
    public int[] Cancelled { get; }
    public int[] Allocated { get; }
    public int[] Backordered { get; }
    public int[] Shipped { get; }
    public int[] Delivered { get; }
    public decimal Total { get; }
    public OrderStatus Status { get; private set; } = OrderStatus.Pending;
    public PaymentStatus Payment { get; private set; } = PaymentStatus.Pending;
    public decimal Authorized { get; private set; }
    public decimal Captured { get; private set; }
    public decimal Refunded { get; private set; }
    public List<int> Holds { get; } = [];
    public int NextHold { get; private set; } = 1;

    public int Open(int i) => Ordered[i] - Cancelled[i] - Shipped[i];
    public int Awaiting(int i) => Open(i) - Allocated[i] - Backordered[i];
    private int Sum(Func<int, int> f) => Enumerable.Range(0, Ordered.Length).Sum(f);

    public OrderActions Allowed()
    {
        bool noHold = Holds.Count == 0;
        bool awaiting = Sum(i => Awaiting(i) + Backordered[i]) > 0;
        bool allocated = Sum(i => Allocated[i]) > 0;
        bool inTransit = Sum(i => Shipped[i] - Delivered[i]) > 0;
        OrderActions a = Status switch
        {
            OrderStatus.Pending => OrderActions.Confirm | OrderActions.Cancel | OrderActions.CancelLine,
            OrderStatus.Confirmed or OrderStatus.Backordered => OrderActions.Cancel | OrderActions.CancelLine
                | If(noHold && awaiting, OrderActions.Allocate) | If(allocated, OrderActions.Deallocate) | If(noHold && allocated, OrderActions.Ship),
            OrderStatus.Allocated => OrderActions.Cancel | OrderActions.CancelLine | If(allocated, OrderActions.Deallocate) | If(noHold && allocated, OrderActions.Ship),
            OrderStatus.PartiallyShipped => OrderActions.CancelLine | If(noHold && awaiting, OrderActions.Allocate)
                | If(allocated, OrderActions.Deallocate) | If(noHold && allocated, OrderActions.Ship) | If(inTransit, OrderActions.Deliver),
            OrderStatus.Shipped => If(inTransit, OrderActions.Deliver),
            OrderStatus.Delivered => OrderActions.Complete,
            _ => OrderActions.None,
        };
        if (Status is OrderStatus.Pending or OrderStatus.Confirmed or OrderStatus.Allocated or OrderStatus.Backordered or OrderStatus.PartiallyShipped)
        {
            a |= OrderActions.Hold;
        }

        a |= If(!noHold, OrderActions.ReleaseHold);
        a |= Payment switch
        {
            PaymentStatus.Pending => If(Status != OrderStatus.Cancelled, OrderActions.FailPayment),
            PaymentStatus.Authorized or PaymentStatus.PartiallyCaptured => OrderActions.VoidPayment | If(Status != OrderStatus.Cancelled, OrderActions.CapturePayment),
            PaymentStatus.Captured or PaymentStatus.PartiallyRefunded => OrderActions.RefundPayment,
            _ => OrderActions.None,
        };
        return a;
    }

    /// <summary>Applies a command; returns null when accepted, or the kind of refusal the order must throw.</summary>
    public Type? Apply(OrderCommand c)
    {
        int n = Ordered.Length;
        int i = c.Line % n;

        // The runner passes quantities of at least one, and backorders one unit when both numbers are zero;
        // 4 stands for "everything the line has available for this action".
        int q = c.A == OrderCommand.All ? Math.Max(1, Available(c.Kind, i)) : Math.Max(c.A, 1);
        int allocate = c.Kind == "Allocate" && c.A == OrderCommand.All ? Math.Max(1, Available(c.Kind, i)) : c.A;
        int backorder = allocate == 0 && c.B == 0 ? 1 : c.B;
        OrderActions action = ActionOf(c.Kind);
        if ((Allowed() & action) == 0)
        {
            return typeof(InvalidOrderTransitionException);
        }

        switch (c.Kind)
        {
            case "Confirm":
                decimal amount = Total * c.A / 2m; // A in 0..4: half, exact, more
                if (amount < Total)
                {
                    return typeof(ArgumentException);
                }

                Authorized = amount;
                Payment = PaymentStatus.Authorized;
                Status = OrderStatus.Confirmed;
                break;
            case "Allocate":
                int fromAwaiting = Math.Min(allocate, Awaiting(i));
                int fromBackorder = allocate - fromAwaiting;
                if (fromBackorder > Backordered[i] || backorder > Awaiting(i) - fromAwaiting)
                {
                    return typeof(ArgumentException);
                }

                Allocated[i] += allocate;
                Backordered[i] += backorder - fromBackorder;
                break;
            case "Deallocate":
                if (q > Allocated[i])
                {
                    return typeof(ArgumentException);
                }

                Allocated[i] -= q;
                break;
            case "Ship":
                if (q > Allocated[i])
                {
                    return typeof(ArgumentException);
                }

                Allocated[i] -= q;
                Shipped[i] += q;
                break;
            case "Deliver":
                if (q > Shipped[i] - Delivered[i])
                {
                    return typeof(ArgumentException);
                }

                Delivered[i] += q;
                break;
            case "Complete":
                Status = OrderStatus.Completed;
                return null;
            case "Cancel":
                for (int j = 0; j < n; j++)
                {
                    Cancelled[j] += Open(j);
                    Allocated[j] = Backordered[j] = 0;
                }

                break;
            case "CancelLine":
                if (q > Open(i))
                {
                    return typeof(ArgumentException);
                }

                int fromA = Math.Min(q, Awaiting(i));
                int fromB = Math.Min(q - fromA, Backordered[i]);
                Backordered[i] -= fromB;
                Allocated[i] -= q - fromA - fromB;
                Cancelled[i] += q;
                break;
            case "Hold":
                Holds.Add(NextHold++);
                return null;
            case "ReleaseHold":
                if (!Holds.Remove(c.A))
                {
                    return typeof(ArgumentException);
                }

                return null;
            case "FailPayment":
                Payment = PaymentStatus.Failed;
                return null;
            case "CapturePayment":
                if (q > Authorized - Captured)
                {
                    return typeof(ArgumentException);
                }

                Captured += q;
                Payment = Captured == Authorized ? PaymentStatus.Captured : PaymentStatus.PartiallyCaptured;
                return null;
            case "VoidPayment":
                Authorized = Captured;
                Payment = Captured == 0 ? PaymentStatus.Voided : PaymentStatus.Captured;
                return null;
            case "RefundPayment":
                if (q > Captured - Refunded)
                {
                    return typeof(ArgumentException);
                }

                Refunded += q;
                Payment = Refunded == Captured ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;
                return null;
        }

        Status = Derive();
        return null;
    }

    private OrderStatus Derive()
    {
        int open = Sum(Open), shipped = Sum(i => Shipped[i]);
        if (open == 0 && shipped == 0)
        {
            return OrderStatus.Cancelled;
        }

        if (Status == OrderStatus.Pending)
        {
            return OrderStatus.Pending;
        }

        if (shipped == 0)
        {
            return Sum(i => Backordered[i]) > 0 ? OrderStatus.Backordered : Sum(Awaiting) > 0 ? OrderStatus.Confirmed : OrderStatus.Allocated;
        }

        return open > 0 ? OrderStatus.PartiallyShipped : Sum(i => Delivered[i]) == shipped ? OrderStatus.Delivered : OrderStatus.Shipped;
    }

    public int Available(string kind, int i) => kind switch
    {
        "Allocate" => Awaiting(i) + Backordered[i],
        "Deallocate" or "Ship" => Allocated[i],
        "Deliver" => Shipped[i] - Delivered[i],
        "CancelLine" => Open(i),
        _ => 1,
    };

    public static OrderActions ActionOf(string kind) => Enum.Parse<OrderActions>(kind);

    private static OrderActions If(bool condition, OrderActions action) => condition ? action : OrderActions.None;
}
