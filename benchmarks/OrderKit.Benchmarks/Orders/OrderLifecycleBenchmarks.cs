using NodaTime;
using OrderKit.Orders;
using Stateless;

namespace OrderKit.Benchmarks.Orders;

/// <summary>
/// The cost of a status transition. Each operation is a round trip of two transitions (a short pick takes a unit's
/// stock away, an allocation gives it back): through the <see cref="Order"/> API, through a raw Stateless machine of
/// the same shape (the baseline), and through a machine built per order, the design OrderKit avoids. Plus the
/// "what may I do now?" query.
/// </summary>
/// <remarks>
/// A real command loads an order, applies an action or two and saves it, so its events die young. To measure that and
/// not the cost of keeping hundreds of thousands of events alive, the Order API case works on an order that is loaded
/// afresh from its snapshot every <see cref="RoundTripsPerOrder"/> round trips (that load is part of the measured
/// time), and it uses the default system clock.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(100_000)]
public class OrderLifecycleBenchmarks
{
    private static readonly Sku s_sku = new("MUG-RED");
    private static readonly Quantity s_one = new(1);
    private static readonly LineAllocation[] s_allocateOne = [new LineAllocation(s_sku, 1, 0)];

    /// <summary>How many round trips one loaded order takes before the next is loaded: about a hundred events.</summary>
    public const int RoundTripsPerOrder = 25;

    private readonly IClock _clock = SystemClock.Instance;
    private OrderSnapshot _snapshot = null!;
    private Order _order = null!;
    private int _roundTrips;
    private StateMachine<OrderStatus, OrderTrigger> _raw = null!;
    private OrderStatus _rawStatus;
    private int _rawAllocated = 1;

    [IterationSetup]
    public void Setup()
    {
        _order = Order.Place(
            new PlaceOrderRequest
            {
                CustomerId = new CustomerId("C"),
                Channel = new SalesChannel("web"),
                ShippingAddress = new Address("A", "B", "C", null, "DE"),
                Currency = Currency.EUR,
                Lines = [new PlaceOrderLine(s_sku, s_one, new Money(1m, Currency.EUR))],
            },
            _clock);
        _order.Confirm(_order.Total);
        _order.Allocate(s_allocateOne);
        _snapshot = _order.ToSnapshotAtVersion(1);
        _roundTrips = 0;

        _rawStatus = OrderStatus.Allocated;
        _rawAllocated = 1;
        _raw = new StateMachine<OrderStatus, OrderTrigger>(() => _rawStatus, s => _rawStatus = s, FiringMode.Immediate);
        _raw.Configure(OrderStatus.Allocated)
            .PermitIf(OrderTrigger.Deallocate, OrderStatus.Confirmed, () => _rawAllocated > 0, "some units have stock allocated");
        _raw.Configure(OrderStatus.Confirmed)
            .PermitDynamicIf(OrderTrigger.Allocate, () => OrderStatus.Allocated, "the line quantities", new Stateless.Reflection.DynamicStateInfos(), Tuple.Create<Func<bool>, string>(() => true, "no hold is active"), Tuple.Create<Func<bool>, string>(() => _rawAllocated == 0, "some units await stock"));
    }

    [Benchmark(Baseline = true, Description = "raw Stateless Fire x2")]
    public OrderStatus RawStatelessFire()
    {
        _raw.Fire(OrderTrigger.Deallocate);
        _rawAllocated = 0;
        _raw.Fire(OrderTrigger.Allocate);
        _rawAllocated = 1;
        return _rawStatus;
    }

    [Benchmark(Description = "Order API transition x2")]
    public OrderStatus OrderTransition()
    {
        if (++_roundTrips == RoundTripsPerOrder)
        {
            _order = Order.FromSnapshot(_snapshot, _clock);
            _roundTrips = 0;
        }

        _order.Deallocate(s_sku, s_one);
        _order.Allocate(s_allocateOne);
        return _order.Status;
    }

    [Benchmark(Description = "machine built per order + Fire x2")]
    public OrderStatus MachinePerOrder()
    {
        OrderStatus status = OrderStatus.Allocated;
        int allocated = 1;
        StateMachine<OrderStatus, OrderTrigger> machine = OrderLifecycleDefinition.Build(
            () => status,
            s => status = s,
            () => allocated == 0 ? OrderStatus.Allocated : OrderStatus.Confirmed,
            c => c != OrderCondition.HasUnitsAwaitingStock || allocated == 0);
        machine.Fire(OrderTrigger.Deallocate);
        allocated = 0;
        machine.Fire(OrderTrigger.Allocate);
        return status;
    }

    [Benchmark(Description = "AllowedActions query")]
    public OrderActions AllowedActions() => _order.AllowedActions;
}
