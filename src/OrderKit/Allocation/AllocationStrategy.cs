using OrderKit.Inventory;

namespace OrderKit.Allocation;

/// <summary>How the allocation engine chooses among the candidate locations of an order.</summary>
/// <remarks>
/// <para>A strategy is a list of <see cref="LocationOrder"/>s applied in turn (each breaks the ties of the one before,
/// and the location table's own order breaks the last ties), and whether it first minimises the number of shipments.
/// The four built-in strategies cover most shops; compose your own with <see cref="Ranked"/>,
/// <see cref="FewestShipmentsThen"/> and <see cref="ThenBy"/>, or take full control with <see cref="Custom"/>.</para>
/// <para>Thread safety: immutable and thread-safe; share instances freely.</para>
/// </remarks>
public sealed class AllocationStrategy
{
    private readonly LocationOrder[] _order;

    private AllocationStrategy(string name, bool fewestShipments, LocationOrder[] order, Func<AllocationContext, IEnumerable<LocationId>>? choose)
    {
        Name = name;
        MinimisesShipments = fewestShipments;
        _order = order;
        Choose = choose;
        IsBuiltIn = choose is null && order.All(o => o.Kind != LocationOrderKind.Custom);
    }

    /// <summary>Gets the strategy that takes each line from the best-ranked locations first (<see cref="StockLocation.Rank"/>, then distance); a line never skips a better-ranked location that has stock.</summary>
    public static AllocationStrategy Priority { get; } = new(nameof(Priority), false, [LocationOrder.Rank, LocationOrder.Distance], null);

    /// <summary>Gets the strategy that takes from the locations nearest the destination first, then by rank.</summary>
    public static AllocationStrategy Nearest { get; } = new(nameof(Nearest), false, [LocationOrder.Distance, LocationOrder.Rank], null);

    /// <summary>Gets the strategy that takes from the locations with the most stock of the order's SKUs first, then by rank.</summary>
    public static AllocationStrategy HighestStock { get; } = new(nameof(HighestStock), false, [LocationOrder.MostStock, LocationOrder.Rank], null);

    /// <summary>Gets the strategy that ships from the fewest locations, then breaks ties by rank, then distance, then stock.</summary>
    /// <remarks>Exact (every set of one location, then of two, and so on) while the number of sets stays small; greedy set cover beyond.</remarks>
    public static AllocationStrategy FewestShipments { get; } = new(nameof(FewestShipments), true, [LocationOrder.Rank, LocationOrder.Distance, LocationOrder.MostStock], null);

    /// <summary>Gets the strategy's name, as it appears in explanations.</summary>
    public string Name { get; }

    /// <summary>Gets whether the strategy first minimises the number of locations the order ships from.</summary>
    public bool MinimisesShipments { get; }

    /// <summary>Gets the orders applied to the candidates, first to last; empty for a <see cref="Custom"/> strategy.</summary>
    public IReadOnlyList<LocationOrder> Order => _order;

    internal Func<AllocationContext, IEnumerable<LocationId>>? Choose { get; }

    /// <summary>Gets whether every order is built in, so ranking runs without calling user code.</summary>
    internal bool IsBuiltIn { get; }

    /// <summary>Creates a strategy that takes from candidates in the given order (greedy, no search for fewer shipments).</summary>
    /// <param name="name">The strategy's name, for explanations.</param>
    /// <param name="order">The orders to apply, first to last; at least one.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank, or <paramref name="order"/> is empty or holds null.</exception>
    public static AllocationStrategy Ranked(string name, params LocationOrder[] order)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(name, false, CheckOrder(order, nameof(order)), null);
    }

    /// <summary>Creates a strategy that ships from the fewest locations, breaking ties between equally few with the given orders.</summary>
    /// <param name="tieBreakers">The orders that break ties, first to last; at least one.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentException"><paramref name="tieBreakers"/> is empty or holds null.</exception>
    public static AllocationStrategy FewestShipmentsThen(params LocationOrder[] tieBreakers) =>
        new($"{nameof(FewestShipments)} then {string.Join(", ", CheckOrder(tieBreakers, nameof(tieBreakers)).Select(o => o.Name))}", true, [.. tieBreakers], null);

    /// <summary>
    /// Creates a strategy from your own function, which gets the candidates of an order and returns the locations to use,
    /// best first.
    /// </summary>
    /// <remarks>
    /// <para>The function runs inside the allocation's unit of work, possibly more than once when stock moves underneath;
    /// keep it fast and free of I/O and side effects. Candidates it leaves out are not used for this order. Lines then take
    /// stock in the returned order, within the request's <see cref="SplitPolicy"/>; with
    /// <paramref name="fewestShipments"/> the engine first searches the fewest of the returned locations, in that order.</para>
    /// <para>Returning a location that is not among <see cref="AllocationContext.Candidates"/>, or one twice, makes the plan
    /// throw <see cref="InvalidOperationException"/> naming the location and the candidates, and nothing is reserved.</para>
    /// </remarks>
    /// <param name="name">The strategy's name, for explanations and errors.</param>
    /// <param name="choose">Returns the locations to use, best first.</param>
    /// <param name="fewestShipments">Whether to search for the fewest shipments among the returned locations.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="choose"/> is null.</exception>
    public static AllocationStrategy Custom(string name, Func<AllocationContext, IEnumerable<LocationId>> choose, bool fewestShipments = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(choose);
        return new(name, fewestShipments, [], choose);
    }

    /// <summary>Returns a copy of this strategy with one more tie-breaker at the end.</summary>
    /// <param name="tieBreaker">The order that breaks the remaining ties.</param>
    /// <returns>The new strategy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tieBreaker"/> is null.</exception>
    /// <exception cref="InvalidOperationException">This is a <see cref="Custom"/> strategy, which orders the candidates itself.</exception>
    public AllocationStrategy ThenBy(LocationOrder tieBreaker)
    {
        ArgumentNullException.ThrowIfNull(tieBreaker);
        if (Choose is not null)
        {
            throw new InvalidOperationException($"Strategy \"{Name}\" is a custom strategy; it orders the candidates itself and takes no tie-breakers.");
        }

        return new($"{Name} then {tieBreaker.Name}", MinimisesShipments, [.. _order, tieBreaker], null);
    }

    /// <summary>Returns the name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    private static LocationOrder[] CheckOrder(LocationOrder[] order, string parameter)
    {
        if (order is null || order.Length == 0)
        {
            throw new ArgumentException("Give at least one location order.", parameter);
        }

        for (int i = 0; i < order.Length; i++)
        {
            if (order[i] is null)
            {
                throw new ArgumentException($"{parameter}[{i}] is null.", parameter);
            }
        }

        return order;
    }
}
