using System.Collections.Concurrent;
using NodaTime;
using OrderKit.Inventory;
using OrderKit.Orders;

namespace OrderKit.Allocation;

/// <summary>Plans an allocation for the public API: candidate filters, the strategy's ranking, the search (by
/// <see cref="AllocationEngine"/>), shortfall policies and explanations.</summary>
internal sealed class AllocationPlanner
{
    private const double AreaGridDegrees = 0.1;

    /// <summary>
    /// The fewest cells (lines × candidates) for which a plan on the in-memory index goes through the engine's summary
    /// masks; below it, copying the cells costs less than the masks' setup (a checkout of five lines at two
    /// warehouses measured about 6 % slower through the engine, 100 cells and more 11 to 30 % fewer bytes).
    /// </summary>
    private const int MinCellsOnTheIndex = 64;

    private readonly ConcurrentDictionary<(long Version, int Lat, int Lon), int[]> _distanceRanks = new();

    /// <summary>Checks a request before any stock is read.</summary>
    public static void Check(AllocationRequest request) => CheckRequest(request);

    /// <summary>Plans over the stock of each line's SKU (rows[i] for request.Lines[i]) and a location table.</summary>
    public AllocationPlan Plan(AllocationRequest request, StockIndex.LocationTable table, ISkuStockView[] rows, LocalDate today)
    {
        var explanation = request.Explain ? new List<string>() : null;
        int lineCount = request.Lines.Count;
        int[] filtered = Candidates(request, table, explanation);

        // needs[i]: the units line i takes from counted stock now; the rest is settled by its policy afterwards.
        var needs = new int[lineCount];
        for (int i = 0; i < lineCount; i++)
        {
            needs[i] = AllocationEngine.NeedFromStock(rows[i].Policy, request.Lines[i].Quantity.Value, today);
        }

        int[] candidates = Rank(request, table, rows, needs, filtered, explanation);

        int c = candidates.Length;
        var taken = new int[lineCount * c];
        var used = new bool[c];
        if (explanation is null && lineCount * c >= MinCellsOnTheIndex && InMemoryRows(rows) is { } inMemory)
        {
            // The in-memory index: the engine finds one location or a pair on its summary masks without copying every
            // cell, and plans over the matrix only when neither settles the order; it takes exactly what the matrix
            // search below takes (a property of the engine's tests).
            PlanOnTheIndex(request, inMemory, candidates, taken, used, today);
            return Build(request, table, rows, candidates, taken, used, today, explanation);
        }

        // available[i * C + k]: what line i can take from the k-th best candidate.
        var available = new int[lineCount * c];
        StockIndex.CellRun[]? runs = null;
        int runCount = 0;
        for (int i = 0; i < lineCount; i++)
        {
            if (needs[i] <= 0)
            {
                continue;
            }

            if (rows[i] is StockIndex.SkuRow row)
            {
                // The in-memory index copies a block run at a time; split the candidates into runs once per order.
                if (runs is null)
                {
                    runs = new StockIndex.CellRun[c];
                    runCount = StockIndex.RunsOf(candidates, runs);
                }

                row.CopyAvailable(runs.AsSpan(0, runCount), available.AsSpan(i * c, c));
            }
            else
            {
                rows[i].CopyAvailable(candidates, available.AsSpan(i * c, c));
            }
        }

        ChoiceReason[] reasons = explanation is null ? [] : new ChoiceReason[c];
        AllocationEngine.Choose(needs, available, taken, used, c, request.Split, request.Strategy.MinimisesShipments, reasons);
        if (explanation is not null)
        {
            Explain(request, table, candidates, used, reasons, explanation);
        }

        return Build(request, table, rows, candidates, taken, used, today, explanation);
    }

    /// <summary>The rows as the in-memory index's own, when every one of them is; null otherwise.</summary>
    private static StockIndex.SkuRow[]? InMemoryRows(ISkuStockView[] rows)
    {
        var own = new StockIndex.SkuRow[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is not StockIndex.SkuRow row)
            {
                return null;
            }

            own[i] = row;
        }

        return own;
    }

    /// <summary>Plans with <see cref="AllocationEngine.Plan"/> and spreads its takes into the planner's matrix (line by candidate slot).</summary>
    private static void PlanOnTheIndex(AllocationRequest request, StockIndex.SkuRow[] rows, int[] candidates, int[] taken, bool[] used, LocalDate today)
    {
        int lineCount = rows.Length;
        int c = candidates.Length;
        Span<int> quantities = lineCount <= 256 ? stackalloc int[lineCount] : new int[lineCount];
        for (int i = 0; i < lineCount; i++)
        {
            quantities[i] = request.Lines[i].Quantity.Value;
        }

        PlannedTake[] takes = System.Buffers.ArrayPool<PlannedTake>.Shared.Rent(Math.Max(1, lineCount * c));
        try
        {
            int count = AllocationEngine.Plan(rows, quantities, candidates, request.Split, request.Strategy.MinimisesShipments, today, takes);

            // The takes come by candidate, best first, then by line, so one pass over the candidates places them.
            int slot = 0;
            for (int t = 0; t < count; t++)
            {
                PlannedTake take = takes[t];
                while (candidates[slot] != take.Location)
                {
                    slot++;
                }

                taken[(take.Line * c) + slot] = take.Units;
                used[slot] = true;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<PlannedTake>.Shared.Return(takes);
        }
    }

    private static void CheckRequest(AllocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Lines is null || request.Lines.Count == 0)
        {
            throw new ArgumentException("request.Lines must have at least one line.", nameof(request));
        }

        if (request.Lines.Count > Order.MaxLines)
        {
            throw new ArgumentException($"request.Lines has {request.Lines.Count} lines; at most {Order.MaxLines}.", nameof(request));
        }

        var seen = new HashSet<Sku>();
        for (int i = 0; i < request.Lines.Count; i++)
        {
            LineQuantity line = request.Lines[i];
            if (line.Sku.IsDefault)
            {
                throw new ArgumentException($"request.Lines[{i}].Sku is required.", nameof(request));
            }

            if (line.Quantity.IsDefault)
            {
                throw new ArgumentException($"request.Lines[{i}].Quantity must be positive; got 0 for \"{line.Sku}\".", nameof(request));
            }

            if (!seen.Add(line.Sku))
            {
                throw new ArgumentException($"request.Lines[{i}].Sku \"{line.Sku}\" repeats an earlier line; give each SKU once.", nameof(request));
            }
        }

        if (request.Destination is null)
        {
            throw new ArgumentException("request.Destination is required.", nameof(request));
        }

        if (request.Channel.IsDefault)
        {
            throw new ArgumentException("request.Channel is required.", nameof(request));
        }

        if (request.Strategy is null)
        {
            throw new ArgumentException("request.Strategy is required.", nameof(request));
        }

        if (request.Split is null)
        {
            throw new ArgumentException("request.Split is required.", nameof(request));
        }
    }

    private static int[] Candidates(AllocationRequest request, StockIndex.LocationTable table, List<string>? explanation)
    {
        if (request.CollectAt is { } pickup)
        {
            if (!table.TryGetIndex(pickup, out int index))
            {
                throw new ArgumentException($"request.CollectAt \"{pickup}\" is not a known stock location.", nameof(request));
            }

            StockLocation location = table[index];
            if (!location.OffersClickAndCollect || !location.IsActive)
            {
                throw new ArgumentException($"request.CollectAt \"{pickup}\" does not offer click and collect{(location.IsActive ? string.Empty : " (it is inactive)")}.", nameof(request));
            }

            explanation?.Add($"{pickup}: the customer collects here, so it is the only candidate");
            return [index];
        }

        var result = new List<int>(table.Count);
        for (int k = 0; k < table.Count; k++)
        {
            StockLocation location = table[k];
            string? passedOver =
                !location.IsActive ? "inactive"
                : location.Kind == LocationKind.DropshipSupplier ? "a dropship supplier, used only by a dropship policy"
                : !location.ShipsTo(request.Destination) ? $"does not ship to {request.Destination.CountryCode} {request.Destination.PostalCode}".TrimEnd()
                : !location.Serves(request.Channel) ? $"does not serve channel {request.Channel}"
                : null;
            if (passedOver is null)
            {
                result.Add(k);
            }
            else
            {
                explanation?.Add($"{location.Id} passed over: {passedOver}");
            }
        }

        return [.. result];
    }

    /// <summary>Puts the candidates in the strategy's order, best first; a custom strategy may also leave some out.</summary>
    private int[] Rank(AllocationRequest request, StockIndex.LocationTable table, ISkuStockView[] rows, int[] needs, int[] candidates, List<string>? explanation)
    {
        AllocationStrategy strategy = request.Strategy;
        int[] distanceRank = request.DestinationPoint is { } point ? DistanceRanks(table, point) : [];
        int n = candidates.Length;
        if (n == 0)
        {
            return candidates;
        }

        LocationCandidate[]? described = strategy.IsBuiltIn ? null : Describe(request, table, rows, needs, candidates, distanceRank);
        if (strategy.Choose is { } choose)
        {
            return RankByCustom(request, strategy, choose, table, candidates, described!, explanation);
        }

        IReadOnlyList<LocationOrder> order = strategy.Order;
        var keys = new double[order.Count][];
        for (int o = 0; o < order.Count; o++)
        {
            var key = keys[o] = new double[n];
            LocationOrder criterion = order[o];
            for (int j = 0; j < n; j++)
            {
                int k = candidates[j];
                key[j] = criterion.Kind switch
                {
                    LocationOrderKind.Rank => table[k].Rank,
                    LocationOrderKind.Distance => distanceRank.Length == 0 || table[k].Position is null ? 0 : distanceRank[k],
                    LocationOrderKind.MostStock => -StockAt(rows, needs, k),
                    _ => criterion.Key!(described![j]),
                };
            }
        }

        var slots = new int[n];
        for (int j = 0; j < n; j++)
        {
            slots[j] = j;
        }

        Array.Sort(slots, (a, b) =>
        {
            foreach (double[] key in keys)
            {
                int compared = key[a].CompareTo(key[b]);
                if (compared != 0)
                {
                    return compared;
                }
            }

            return candidates[a].CompareTo(candidates[b]);
        });

        explanation?.Add($"candidates ranked by {strategy.Name}: {string.Join(", ", slots.Select(j => table[candidates[j]].Id))}");
        var ranked = new int[n];
        for (int j = 0; j < n; j++)
        {
            ranked[j] = candidates[slots[j]];
        }

        return ranked;
    }

    private static long StockAt(ISkuStockView[] rows, int[] needs, int location)
    {
        long sum = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            if (needs[i] > 0)
            {
                sum += Math.Max(0, rows[i].Available(location));
            }
        }

        return sum;
    }

    /// <summary>Builds the public view of each candidate, in rank order, for custom orders and strategies.</summary>
    private static LocationCandidate[] Describe(AllocationRequest request, StockIndex.LocationTable table, ISkuStockView[] rows, int[] needs, int[] candidates, int[] distanceRank)
    {
        int lines = rows.Length;
        var available = new int[candidates.Length * lines];
        var result = new LocationCandidate[candidates.Length];
        for (int j = 0; j < candidates.Length; j++)
        {
            int k = candidates[j];
            long units = 0;
            for (int i = 0; i < lines; i++)
            {
                int a = needs[i] > 0 ? Math.Max(0, rows[i].Available(k)) : 0;
                available[(j * lines) + i] = a;
                units += a;
            }

            result[j] = new LocationCandidate(table[k], request, available, j * lines, distanceRank.Length == 0 ? 0 : distanceRank[k], units);
        }

        return result;
    }

    private static int[] RankByCustom(AllocationRequest request, AllocationStrategy strategy, Func<AllocationContext, IEnumerable<LocationId>> choose, StockIndex.LocationTable table, int[] candidates, LocationCandidate[] described, List<string>? explanation)
    {
        // The context lists the candidates by rank, then table order.
        int[] byRank = [.. Enumerable.Range(0, candidates.Length).OrderBy(j => table[candidates[j]].Rank).ThenBy(j => candidates[j])];
        var context = new AllocationContext(request, [.. byRank.Select(j => described[j])]);
        IEnumerable<LocationId> chosen = choose(context)
            ?? throw new InvalidOperationException($"Allocation strategy \"{strategy.Name}\" returned null; return the locations to use, best first (an empty list uses none).");
        var ranked = new List<int>(candidates.Length);
        foreach (LocationId id in chosen)
        {
            int index = -1;
            if (table.TryGetIndex(id, out int k) && Array.IndexOf(candidates, k) >= 0)
            {
                index = k;
            }

            if (index < 0)
            {
                string names = string.Join(", ", byRank.Select(j => table[candidates[j]].Id));
                throw new InvalidOperationException($"Allocation strategy \"{strategy.Name}\" returned location \"{id}\", which is not a candidate for this order; the candidates were: {names}.");
            }

            if (ranked.Contains(index))
            {
                throw new InvalidOperationException($"Allocation strategy \"{strategy.Name}\" returned location \"{id}\" more than once; return each location at most once.");
            }

            ranked.Add(index);
        }

        if (explanation is not null)
        {
            foreach (int k in candidates)
            {
                if (!ranked.Contains(k))
                {
                    explanation.Add($"{table[k].Id} passed over: left out by strategy {strategy.Name}");
                }
            }

            explanation.Add($"candidates ranked by {strategy.Name}: {string.Join(", ", ranked.Select(k => table[k].Id))}");
        }

        return [.. ranked];
    }

    /// <summary>The distance rank of every location from an area around the point, computed once per area and location table.</summary>
    private int[] DistanceRanks(StockIndex.LocationTable table, GeoPoint point)
    {
        var key = (table.Version, (int)Math.Floor(point.Latitude / AreaGridDegrees), (int)Math.Floor(point.Longitude / AreaGridDegrees));
        return _distanceRanks.GetOrAdd(key, static (k, t) =>
        {
            var centre = new GeoPoint(Math.Clamp((k.Lat + 0.5) * AreaGridDegrees, -90, 90), Math.Clamp((k.Lon + 0.5) * AreaGridDegrees, -180, 180));
            int[] order = [.. Enumerable.Range(0, t.Count).OrderBy(i => t[i].Position is { } p ? p.DistanceKmTo(centre) : double.MaxValue).ThenBy(i => i)];
            var rank = new int[t.Count];
            for (int r = 0; r < order.Length; r++)
            {
                rank[order[r]] = r;
            }

            return rank;
        }, table);
    }

    private static void Explain(AllocationRequest request, StockIndex.LocationTable table, int[] candidates, bool[] used, ChoiceReason[] reasons, List<string> explanation)
    {
        for (int k = 0; k < candidates.Length; k++)
        {
            if (!used[k])
            {
                continue;
            }

            ChoiceReason reason = reasons[k];
            string why = reason.Kind switch
            {
                ChoiceKind.FillsAlone => "fills every line alone",
                ChoiceKind.BestSet => $"one of the best-ranked {reason.Value} locations that together fill every line",
                ChoiceKind.GreedyCover => $"adds {reason.Value} of the units still missing (greedy cover)",
                _ => $"the best-ranked location with stock for {request.Lines[reason.Value].Sku}",
            };
            explanation.Add($"{table[candidates[k]].Id} chosen: {why}");
        }
    }

    private static AllocationPlan Build(AllocationRequest request, StockIndex.LocationTable table, ISkuStockView[] rows, int[] candidates, int[] taken, bool[] used, LocalDate today, List<string>? explanation)
    {
        int c = candidates.Length;
        var lines = new PlannedLine[rows.Length];
        var locations = new List<int>();
        int firstUsed = Array.IndexOf(used, true);
        for (int i = 0; i < rows.Length; i++)
        {
            ISkuStockView row = rows[i];
            InventoryPolicy policy = row.Policy;
            int requested = request.Lines[i].Quantity.Value;
            var sources = new List<PlannedSource>();
            int allocated = 0;
            for (int k = 0; k < c; k++)
            {
                int units = taken[(i * c) + k];
                if (units > 0)
                {
                    sources.Add(new PlannedSource(table[candidates[k]].Id, units, IsReserved: true));
                    AddLocation(locations, candidates[k]);
                    allocated += units;
                }
            }

            int backordered = 0, preordered = 0, refused = 0;
            LocalDate? expectedOn = null;
            int shortUnits = requested - allocated;
            switch (policy.Kind)
            {
                case InventoryPolicyKind.Untracked:
                    int at = firstUsed >= 0 ? candidates[firstUsed] : c > 0 ? candidates[0] : -1;
                    if (at >= 0)
                    {
                        sources.Add(new PlannedSource(table[at].Id, requested, IsReserved: false));
                        AddLocation(locations, at);
                    }
                    else
                    {
                        refused = requested;
                        explanation?.Add($"{row.Sku}: no location can ship it to the destination");
                    }

                    break;
                case InventoryPolicyKind.Preorder when today < policy.ReleaseDate:
                    preordered = WithinLimit(row, policy, shortUnits);
                    refused = shortUnits - preordered;
                    expectedOn = policy.ReleaseDate;
                    break;
                case InventoryPolicyKind.Backorder or InventoryPolicyKind.Preorder:
                    backordered = WithinLimit(row, policy, shortUnits);
                    refused = shortUnits - backordered;
                    expectedOn = backordered > 0 ? row.EarliestIncoming() : null;
                    break;
                case InventoryPolicyKind.Dropship when shortUnits > 0:
                    if (policy.Supplier is { } supplier && table.TryGetIndex(supplier, out int supplierIndex) && table[supplierIndex].IsActive)
                    {
                        sources.Add(new PlannedSource(supplier, shortUnits, IsReserved: false));
                        AddLocation(locations, supplierIndex);
                        explanation?.Add($"{supplier} chosen: dropships {shortUnits} x {row.Sku}");
                    }
                    else
                    {
                        refused = shortUnits;
                        explanation?.Add($"{row.Sku}: dropship supplier {policy.Supplier} is unknown or inactive");
                    }

                    break;
                default:
                    refused = shortUnits;
                    break;
            }

            if (refused > 0)
            {
                explanation?.Add($"{row.Sku}: {refused} of {requested} refused under policy {policy}");
            }

            lines[i] = new PlannedLine(row.Sku, requested, [.. sources], backordered, preordered, refused, policy, expectedOn);
        }

        LocationId[] ids = [.. locations.Select(k => table[k].Id)];
        bool shipTogether = request.Split.IsShipComplete && lines.Any(l => l.Shortfall > 0 && l.Refused < l.Shortfall);
        return new AllocationPlan(lines, ids, shipTogether, explanation is null ? [] : [.. explanation]);
    }

    private static int WithinLimit(ISkuStockView row, InventoryPolicy policy, int shortUnits) =>
        policy.Limit is { } limit ? Math.Clamp(limit - row.Waiting, 0, shortUnits) : shortUnits;

    private static void AddLocation(List<int> locations, int index)
    {
        if (!locations.Contains(index))
        {
            locations.Add(index);
        }
    }
}
