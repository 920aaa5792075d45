using System.Collections.Concurrent;
using NodaTime;
using OrderKit.Inventory;
using OrderKit.Orders;

namespace OrderKit.Allocation;

/// <summary>Plans an allocation over the stock index: candidates, ranking, sources, shortfall.</summary>
/// <remarks>
/// Lines have distinct SKUs, so they never compete for the same units: each line's availability per location is read
/// once, and the search only decides which locations to use. Exact search for the fewest shipments runs on bitsets of
/// the lines each location can fill completely.
/// </remarks>
internal sealed class AllocationPlanner
{
    private const double AreaGridDegrees = 0.1;

    private readonly ConcurrentDictionary<(long Version, int Lat, int Lon), int[]> _distanceRanks = new();

    /// <summary>Checks a request before any stock is read.</summary>
    public static void Check(AllocationRequest request) => CheckRequest(request);

    /// <summary>Plans over the stock of each line's SKU (rows[i] for request.Lines[i]) and a location table.</summary>
    public AllocationPlan Plan(AllocationRequest request, StockIndex.LocationTable table, ISkuStockView[] rows, LocalDate today)
    {
        var explanation = request.Explain ? new List<string>() : null;
        int lineCount = request.Lines.Count;
        int[] candidates = Candidates(request, table, explanation);
        Rank(request, table, rows, candidates);

        // needs[i]: the units line i takes from counted stock now; the rest is settled by its policy afterwards.
        var needs = new int[lineCount];
        for (int i = 0; i < lineCount; i++)
        {
            InventoryPolicy policy = rows[i].Policy;
            bool waitsForRelease = policy.Kind == InventoryPolicyKind.Preorder && today < policy.ReleaseDate;
            needs[i] = policy.Kind == InventoryPolicyKind.Untracked || waitsForRelease ? 0 : request.Lines[i].Quantity.Value;
        }

        // available[i * C + c]: what line i can take from candidate c.
        int c = candidates.Length;
        var available = new int[lineCount * c];
        for (int i = 0; i < lineCount; i++)
        {
            if (needs[i] == 0)
            {
                continue;
            }

            for (int k = 0; k < c; k++)
            {
                available[(i * c) + k] = Math.Max(0, rows[i].Available(candidates[k]));
            }
        }

        var taken = new int[lineCount * c];
        bool[] used = Choose(request, needs, available, taken, lineCount, c, explanation, candidates, table);
        return Build(request, table, rows, candidates, needs, taken, used, today, explanation);
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

        if (!Enum.IsDefined(request.Strategy))
        {
            throw new ArgumentException($"request.Strategy {(int)request.Strategy} is not a known strategy.", nameof(request));
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

    /// <summary>Sorts the candidates best first for the request's strategy.</summary>
    private void Rank(AllocationRequest request, StockIndex.LocationTable table, ISkuStockView[] rows, int[] candidates)
    {
        int[] distanceRank = request.DestinationPoint is { } point ? DistanceRanks(table, point) : [];
        int DistanceRank(int k) => distanceRank.Length == 0 ? 0 : distanceRank[k];

        switch (request.Strategy)
        {
            case AllocationStrategy.Nearest:
                Array.Sort(candidates, (a, b) => Compare(DistanceRank(a), DistanceRank(b), table[a].Rank, table[b].Rank, a, b));
                break;
            case AllocationStrategy.HighestStock:
                var stock = new Dictionary<int, long>(candidates.Length);
                foreach (int k in candidates)
                {
                    long sum = 0;
                    foreach (ISkuStockView row in rows)
                    {
                        sum += Math.Max(0, row.Available(k));
                    }

                    stock[k] = sum;
                }

                Array.Sort(candidates, (a, b) => Compare(-stock[a], -stock[b], table[a].Rank, table[b].Rank, a, b));
                break;
            default:
                Array.Sort(candidates, (a, b) => Compare(table[a].Rank, table[b].Rank, DistanceRank(a), DistanceRank(b), a, b));
                break;
        }
    }

    private static int Compare(long first1, long first2, long second1, long second2, int index1, int index2) =>
        first1 != first2 ? first1.CompareTo(first2) : second1 != second2 ? second1.CompareTo(second2) : index1.CompareTo(index2);

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

    /// <summary>Decides how many units each line takes from each candidate; returns which candidates are used.</summary>
    private static bool[] Choose(AllocationRequest request, int[] needs, int[] available, int[] taken, int lines, int c, List<string>? explanation, int[] candidates, StockIndex.LocationTable table)
    {
        var used = new bool[c];
        SplitPolicy split = request.Split;
        bool minimise = request.Strategy == AllocationStrategy.FewestShipments || split.IsShipComplete || split.MaxShipments < int.MaxValue;
        if (minimise)
        {
            ChooseFewest(needs, available, used, lines, c, split.MaxShipments, explanation, candidates, table);

            // Lines that a chosen location fills completely take from the best such location.
            for (int i = 0; i < lines; i++)
            {
                if (needs[i] == 0)
                {
                    continue;
                }

                for (int k = 0; k < c; k++)
                {
                    if (used[k] && available[(i * c) + k] >= needs[i])
                    {
                        taken[(i * c) + k] = needs[i];
                        break;
                    }
                }
            }
        }

        // Lines still without (enough) stock fill in rank order. After a fewest-shipments choice, the first pass uses
        // only the chosen locations and the second adds new ones while the policy allows; under a plain ranking there
        // is one pass, so a line never skips a better-ranked location that has stock.
        int usedCount = used.Count(u => u);
        for (int pass = minimise ? 0 : 1; pass < 2; pass++)
        {
            for (int i = 0; i < lines; i++)
            {
                int have = Sum(taken, i, c);
                int remaining = needs[i] - have;
                if (remaining == 0 || (!split.SplitLines && have > 0))
                {
                    continue;
                }

                if (!split.SplitLines)
                {
                    // One location per line: the best that fills it, else (second pass) the one with the most.
                    int best = -1;
                    for (int k = 0; k < c; k++)
                    {
                        bool allowed = used[k] || (pass == 1 && usedCount < split.MaxShipments);
                        int a = available[(i * c) + k];
                        if (!allowed || a <= 0)
                        {
                            continue;
                        }

                        if (a >= needs[i])
                        {
                            best = k;
                            break;
                        }

                        if (pass == 1 && (best < 0 || a > available[(i * c) + best]))
                        {
                            best = k;
                        }
                    }

                    if (best >= 0)
                    {
                        taken[(i * c) + best] = Math.Min(needs[i], available[(i * c) + best]);
                        if (!used[best])
                        {
                            usedCount++;
                            Use(used, best, explanation, candidates, table, $"the best-ranked location with stock for {request.Lines[i].Sku}");
                        }
                    }

                    continue;
                }

                for (int k = 0; k < c && remaining > 0; k++)
                {
                    bool allowed = used[k] || (pass == 1 && usedCount < split.MaxShipments);
                    int free = available[(i * c) + k] - taken[(i * c) + k];
                    if (!allowed || free <= 0)
                    {
                        continue;
                    }

                    int take = Math.Min(free, remaining);
                    taken[(i * c) + k] += take;
                    remaining -= take;
                    if (!used[k])
                    {
                        usedCount++;
                        Use(used, k, explanation, candidates, table, $"the best-ranked location with stock for {request.Lines[i].Sku}");
                    }
                }
            }
        }

        return used;
    }

    private static int Sum(int[] taken, int line, int c)
    {
        int sum = 0;
        for (int k = 0; k < c; k++)
        {
            sum += taken[(line * c) + k];
        }

        return sum;
    }

    /// <summary>
    /// Picks the fewest candidates that together give every line all the stock it can get: every set of one location,
    /// then of two, and so on in rank order (exact, the first feasible set is the best-ranked one) while the number of
    /// sets stays within a budget; beyond it, greedy cover by the units each location adds.
    /// </summary>
    private static void ChooseFewest(int[] needs, int[] available, bool[] used, int lines, int c, int maxShipments, List<string>? explanation, int[] candidates, StockIndex.LocationTable table)
    {
        // target[i]: what line i can get at best from every candidate together.
        var target = new int[lines];
        bool any = false;
        for (int i = 0; i < lines; i++)
        {
            long total = 0;
            for (int k = 0; k < c; k++)
            {
                total += available[(i * c) + k];
            }

            target[i] = (int)Math.Min(needs[i], total);
            any |= target[i] > 0;
        }

        if (!any)
        {
            return;
        }

        int limit = Math.Min(maxShipments, c);
        long budget = ExactSearchBudget;
        var set = new int[limit];
        for (int size = 1; size <= limit; size++)
        {
            long combinations = Combinations(c, size);
            if (combinations > budget)
            {
                break;
            }

            budget -= combinations;
            for (int j = 0; j < size; j++)
            {
                set[j] = j;
            }

            while (true)
            {
                if (Feasible(set.AsSpan(0, size), target, available, lines, c))
                {
                    string why = size == 1 ? "fills every line alone" : $"one of the best-ranked {size} locations that together fill every line";
                    foreach (int k in set.AsSpan(0, size))
                    {
                        Use(used, k, explanation, candidates, table, why);
                    }

                    return;
                }

                if (!NextCombination(set.AsSpan(0, size), c))
                {
                    break;
                }
            }
        }

        // Greedy: the location that adds the most units still missing, best rank on ties.
        var missing = (int[])target.Clone();
        int count = 0;
        while (count < maxShipments && missing.Any(m => m > 0))
        {
            int best = -1;
            long bestGain = 0;
            for (int k = 0; k < c; k++)
            {
                if (used[k])
                {
                    continue;
                }

                long gain = 0;
                for (int i = 0; i < lines; i++)
                {
                    gain += Math.Min(missing[i], available[(i * c) + k]);
                }

                if (gain > bestGain)
                {
                    best = k;
                    bestGain = gain;
                }
            }

            if (best < 0)
            {
                break;
            }

            Use(used, best, explanation, candidates, table, $"adds {bestGain} of the units still missing (greedy cover)");
            for (int i = 0; i < lines; i++)
            {
                missing[i] -= Math.Min(missing[i], available[(i * c) + best]);
            }

            count++;
        }
    }

    private const long ExactSearchBudget = 20_000;

    private static bool Feasible(ReadOnlySpan<int> set, int[] target, int[] available, int lines, int c)
    {
        for (int i = 0; i < lines; i++)
        {
            int sum = 0;
            foreach (int k in set)
            {
                sum += available[(i * c) + k];
            }

            if (sum < target[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool NextCombination(Span<int> set, int n)
    {
        int k = set.Length;
        int j = k - 1;
        while (j >= 0 && set[j] == n - k + j)
        {
            j--;
        }

        if (j < 0)
        {
            return false;
        }

        set[j]++;
        for (int m = j + 1; m < k; m++)
        {
            set[m] = set[m - 1] + 1;
        }

        return true;
    }

    private static long Combinations(int n, int k)
    {
        long result = 1;
        for (int j = 1; j <= k; j++)
        {
            result = result * (n - k + j) / j;
            if (result > ExactSearchBudget * 10)
            {
                return long.MaxValue;
            }
        }

        return result;
    }

    private static void Use(bool[] used, int k, List<string>? explanation, int[] candidates, StockIndex.LocationTable table, string why)
    {
        used[k] = true;
        explanation?.Add($"{table[candidates[k]].Id} chosen: {why}");
    }

    private static AllocationPlan Build(AllocationRequest request, StockIndex.LocationTable table, ISkuStockView[] rows, int[] candidates, int[] needs, int[] taken, bool[] used, LocalDate today, List<string>? explanation)
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
